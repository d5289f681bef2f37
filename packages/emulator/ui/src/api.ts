/** The dashboard reads through the emulator's own `/v1` API and acts on its control plane. */

export interface Organization {
  id: string;
  name: string;
  slug: string;
  token: string;
}

export interface Session {
  now: string;
  organizations: Organization[];
}

export interface Page<T> {
  items: T[];
  pagination: { total_count: number; max_page: number };
}

/** One JSON object as the API returns it: the pages read the fields they show. */
export type Row = Record<string, unknown>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readJson<T>(response: Response): Promise<T> {
  const text = await response.text();
  const body: unknown = text === "" ? null : JSON.parse(text);
  if (!response.ok) {
    const detail =
      body && typeof body === "object" && "detail" in body ? JSON.stringify(body.detail) : text;
    throw new ApiError(response.status, `${response.status}: ${detail}`);
  }
  return body as T;
}

/** Tokens of the current session: a reset deletes them, so no page may send an old one. */
const liveTokens = new Set<string>();
/** `/v1` requests on the wire, awaited before a reset. */
const inFlight = new Set<Promise<unknown>>();

export async function getSession(): Promise<Session> {
  const session = await readJson<Session>(await fetch("/__emulator/dashboard/session"));
  for (const org of session.organizations) liveTokens.add(org.token);
  return session;
}

/**
 * Before a reset: no page sends its token again (until the next session) and every request
 * already sent is answered, so none reaches the emulator after its token is gone.
 */
export async function quiesce(): Promise<void> {
  liveTokens.clear();
  await Promise.allSettled([...inFlight]);
}

/** A control-plane call (`/__emulator/...`). */
export async function control<T>(path: string, body?: unknown): Promise<T> {
  const init: RequestInit =
    body === undefined
      ? { method: "GET" }
      : {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(body),
        };
  return readJson<T>(await fetch(`/__emulator/${path}`, init));
}

/** A `/v1` call with the organization's dashboard token. */
export async function api<T>(
  org: Organization,
  path: string,
  query: Record<string, string | number | undefined> = {},
  init: RequestInit = {},
): Promise<T> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== "") params.set(key, String(value));
  }
  const search = params.size > 0 ? `?${params.toString()}` : "";
  if (!liveTokens.has(org.token)) throw new ApiError(0, "The emulator was reset; reloading.");
  const request = fetch(`/v1/${path}${search}`, {
    ...init,
    headers: { Authorization: `Bearer ${org.token}`, ...(init.headers ?? {}) },
  });
  inFlight.add(request);
  try {
    return await readJson<T>(await request);
  } finally {
    inFlight.delete(request);
  }
}

export const list = (
  org: Organization,
  path: string,
  query: Record<string, string | number | undefined> = {},
): Promise<Page<Row>> => api<Page<Row>>(org, path, { limit: 100, ...query });
