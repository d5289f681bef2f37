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

export const getSession = async (): Promise<Session> =>
  readJson<Session>(await fetch("/__emulator/dashboard/session"));

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
  const response = await fetch(`/v1/${path}${search}`, {
    ...init,
    headers: { Authorization: `Bearer ${org.token}`, ...(init.headers ?? {}) },
  });
  return readJson<T>(response);
}

export const list = (
  org: Organization,
  path: string,
  query: Record<string, string | number | undefined> = {},
): Promise<Page<Row>> => api<Page<Row>>(org, path, { limit: 100, ...query });
