import { readFileSync } from "node:fs";
import { describeSource } from "./document.js";
import { OpenApiError } from "./errors.js";

/** Reads a document file; a missing or unreadable file names the path and the fix. */
export function readDocumentFile(path: string, label: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new OpenApiError(
      "not_found",
      `Cannot read Polar's OpenAPI document at ${path} (${label}: ${code}); check the path, or pass --spec FILE|URL or POLAR_OPENAPI.`,
      { cause: error },
    );
  }
}

/** A fetch that did not give a document: `unreachable` may fall back to a cached copy. */
export class FetchFailure extends Error {
  constructor(
    readonly unreachable: boolean,
    message: string,
  ) {
    super(message);
  }
}

/** True for an http(s) URL. */
export function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/**
 * GETs a document URL. The network being down, a timeout or a 5xx is `unreachable`
 * (a cached copy may serve); any other non-2xx is the URL's own fault.
 */
export async function fetchDocumentText(
  url: string,
  fetchImpl: typeof globalThis.fetch,
  timeoutMs: number,
): Promise<string> {
  const shown = describeSource(url);
  let response: Response;
  try {
    response = await fetchImpl(url, {
      headers: { accept: "application/json" },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new FetchFailure(true, `GET ${shown} failed (${reason(error)})`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new FetchFailure(response.status >= 500, `GET ${shown} answered HTTP ${response.status}`);
  }
  try {
    return await response.text();
  } catch (error) {
    throw new FetchFailure(true, `GET ${shown} broke off (${reason(error)})`);
  }
}

function reason(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === "TimeoutError") return "timed out";
    const cause = (error as { cause?: { code?: unknown } }).cause;
    if (cause && typeof cause.code === "string") return cause.code;
    return error.message;
  }
  return String(error);
}
