/** Where an adapter looks for the caller's license key. */
export interface LicenseKeySourceOptions {
  /** HTTP header (Streamable HTTP) and `_meta` key carrying the key. Default `license-key`. */
  header?: string;
  /** Environment variable read over stdio only (one user per process). Default `POLAR_LICENSE_KEY`. */
  envVar?: string;
}

type HeaderBag = Record<string, string | string[] | undefined> | Headers | undefined;

function headerValue(headers: HeaderBag, name: string): string | undefined {
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** What an adapter knows of the request a tool call came with. */
export interface KeyRequest {
  /** `"http"`: the environment variable never applies (it is the server's, not the caller's). */
  transport: "http" | "stdio";
  headers?: HeaderBag;
  meta?: Record<string, unknown> | undefined;
}

/**
 * Finds the license key of a request: the `license-key` header, else `Authorization: Bearer`,
 * else the request's `_meta["license-key"]`, else — over stdio only — the `POLAR_LICENSE_KEY`
 * variable. Over HTTP a request without a key has none: the server's own environment is
 * never billed for a stranger's call.
 */
export function findLicenseKey(
  request: KeyRequest,
  options: LicenseKeySourceOptions = {},
): string | undefined {
  const header = (options.header ?? "license-key").toLowerCase();
  const direct = headerValue(request.headers, header)?.trim();
  if (direct) return direct;
  const bearer = /^Bearer\s+(\S+)$/i.exec(headerValue(request.headers, "authorization") ?? "")?.[1];
  if (bearer) return bearer;
  const meta = request.meta?.[header];
  if (typeof meta === "string" && meta.trim()) return meta.trim();
  if (request.transport !== "stdio") return undefined;
  const env = process.env[options.envVar ?? "POLAR_LICENSE_KEY"]?.trim();
  return env || undefined;
}
