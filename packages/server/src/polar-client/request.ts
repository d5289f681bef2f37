import type { CatalogTool } from "../catalog/catalog.js";
import type { SplitArguments } from "../validation/arguments.js";

/** A ready-to-send HTTP request to Polar. */
export interface PolarRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface RequestContext {
  baseUrl: string;
  accessToken: string | undefined;
  /** Sent as `Polar-Version` when it looks like a dated API version (`2026-10`). */
  apiVersion: string | undefined;
  userAgent: string;
}

/**
 * Builds the HTTP request of one operation: path parameters are URL-encoded, arrays in
 * the query repeat their key, `deepObject` parameters become `key[sub]=value`, and the
 * body is JSON or form-encoded as the document declares. The credential is sent only to
 * operations that declare security.
 */
export function buildPolarRequest(
  tool: CatalogTool,
  args: SplitArguments,
  ctx: RequestContext,
): PolarRequest {
  const path = tool.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    encodeURIComponent(String(args.path[name] ?? "")),
  );
  const url = new URL(`${ctx.baseUrl.replace(/\/+$/, "")}${path}`);
  const styles = new Map(tool.fields.map((f) => [f.key, f.style]));
  for (const [key, value] of Object.entries(args.query)) {
    appendQuery(url.searchParams, key, value, styles.get(key) === "deepObject");
  }
  const headers: Record<string, string> = {
    accept: "application/json",
    "user-agent": ctx.userAgent,
  };
  if (ctx.apiVersion && /^\d{4}-\d{2}(-\d{2})?$/.test(ctx.apiVersion))
    headers["polar-version"] = ctx.apiVersion;
  if (tool.security.length > 0 && ctx.accessToken)
    headers.authorization = `Bearer ${ctx.accessToken}`;
  const request: PolarRequest = { method: tool.method.toUpperCase(), url: url.toString(), headers };
  const body = tool.operation.body;
  if (body && args.body !== undefined) {
    headers["content-type"] = body.contentType;
    request.body =
      body.contentType === "application/x-www-form-urlencoded"
        ? formEncode(args.body)
        : JSON.stringify(args.body);
  }
  return request;
}

function appendQuery(
  params: URLSearchParams,
  key: string,
  value: unknown,
  deepObject: boolean,
): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) appendQuery(params, key, item, false);
    return;
  }
  if (typeof value === "object") {
    if (deepObject) {
      for (const [sub, subValue] of Object.entries(value))
        appendQuery(params, `${key}[${sub}]`, subValue, false);
    } else {
      params.append(key, JSON.stringify(value));
    }
    return;
  }
  params.append(key, String(value));
}

function formEncode(body: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(body)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item));
    else params.append(key, typeof value === "object" ? JSON.stringify(value) : String(value));
  }
  return params.toString();
}
