/** Where an adapter looks for the caller's license key. */
export interface LicenseKeySourceOptions {
  /** HTTP header (Streamable HTTP) and `_meta` key carrying the key. Default `license-key`. */
  header?: string;
  /** Environment variable read over stdio (one user per process). Default `POLAR_LICENSE_KEY`. */
  envVar?: string;
}

type HeaderBag = Record<string, string | string[] | undefined> | Headers | undefined;

function headerValue(headers: HeaderBag, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === "function")
    return (headers as Headers).get(name) ?? undefined;
  const bag = headers as Record<string, string | string[] | undefined>;
  const value = bag[name] ?? bag[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Finds the license key of a request: the `license-key` header, else `Authorization: Bearer`,
 * else the request's `_meta["license-key"]`, else (stdio) the `POLAR_LICENSE_KEY` variable.
 */
export function findLicenseKey(
  request: { headers?: HeaderBag; meta?: Record<string, unknown> | undefined },
  options: LicenseKeySourceOptions = {},
): string | undefined {
  const header = (options.header ?? "license-key").toLowerCase();
  const direct = headerValue(request.headers, header)?.trim();
  if (direct) return direct;
  const bearer = /^Bearer\s+(\S+)$/i.exec(headerValue(request.headers, "authorization") ?? "")?.[1];
  if (bearer) return bearer;
  const meta = request.meta?.[header];
  if (typeof meta === "string" && meta.trim()) return meta.trim();
  const env = process.env[options.envVar ?? "POLAR_LICENSE_KEY"]?.trim();
  return env || undefined;
}
