import { PaywallError } from "../errors.js";

/** How much one call of a tool costs, in the meter's units. */
export type ToolPrice =
  | number
  /** Read from a numeric argument of the call (e.g. `{ "argument": "pages" }`), `min` when absent. */
  | { argument: string; min?: number }
  /** Read from the result's `structuredContent` (a dotted path) after the tool ran; `estimate` is authorized first. */
  | { result: string; estimate?: number };

/** The MCP server put behind the paywall: a stdio command, or a Streamable HTTP URL. */
export type UpstreamConfig =
  | { command: string; args?: string[]; env?: Record<string, string>; cwd?: string }
  | { url: string; headers?: Record<string, string> };

/** `polar-mcp paywall proxy --config FILE`: what is sold, and what is free. */
export interface ProxyConfig {
  upstream: UpstreamConfig;
  polar: {
    /** The product whose license keys (and meter credits) unlock paid tools. */
    productId: string;
    organizationId: string;
    /** Polar API base URL (the emulator's, or sandbox/production by default). */
    baseUrl?: string;
    type?: "production" | "sandbox";
    /** Where checkouts send the customer after paying. */
    successUrl?: string;
  };
  /** Price of each paid tool. Tools not listed cost `defaultPrice`. */
  tools?: Record<string, ToolPrice>;
  /** Tools served without a key and never charged. */
  free?: string[];
  /** Price of a tool listed neither in `tools` nor `free` (default 1). */
  defaultPrice?: number;
  /** The usage event's name (default `tool_call`); its metadata carries `tool_name` and `units`. */
  eventName?: string;
  /** Where tools/list shows prices: `_meta["polar/price"]` always; `"description"` also appends a sentence. Default `"both"`. */
  priceIn?: "meta" | "both";
}

const fail = (path: string, what: string): never => {
  throw new PaywallError("invalid_config", `Proxy config: \`${path}\` ${what}.`);
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const nonEmpty = (value: unknown, path: string): string =>
  typeof value === "string" && value.trim() !== ""
    ? value
    : fail(path, "must be a non-empty string");

const stringMap = (value: unknown, path: string): Record<string, string> | undefined => {
  if (value === undefined) return undefined;
  if (!isRecord(value) || Object.values(value).some((v) => typeof v !== "string"))
    fail(path, "must be an object of strings");
  return value as Record<string, string>;
};

const units = (value: unknown, path: string): number =>
  typeof value === "number" && Number.isFinite(value) && value >= 0
    ? value
    : fail(path, "must be a finite number ≥ 0");

function parsePrice(value: unknown, path: string): ToolPrice {
  if (typeof value === "number") return units(value, path);
  if (isRecord(value) && typeof value.argument === "string")
    return {
      argument: nonEmpty(value.argument, `${path}.argument`),
      ...(value.min !== undefined ? { min: units(value.min, `${path}.min`) } : {}),
    };
  if (isRecord(value) && typeof value.result === "string")
    return {
      result: nonEmpty(value.result, `${path}.result`),
      ...(value.estimate !== undefined
        ? { estimate: units(value.estimate, `${path}.estimate`) }
        : {}),
    };
  return fail(path, 'must be a number, { "argument": NAME } or { "result": PATH }');
}

function parseUpstream(value: unknown): UpstreamConfig {
  if (!isRecord(value)) return fail("upstream", "must be { command, args } or { url }");
  if (typeof value.url === "string") {
    let url: URL;
    try {
      url = new URL(value.url);
    } catch {
      return fail("upstream.url", "must be an http(s) URL");
    }
    if (url.protocol !== "http:" && url.protocol !== "https:")
      fail("upstream.url", "must be an http(s) URL");
    const headers = stringMap(value.headers, "upstream.headers");
    return { url: url.href, ...(headers ? { headers } : {}) };
  }
  const command = nonEmpty(value.command, "upstream.command");
  if (
    value.args !== undefined &&
    (!Array.isArray(value.args) || value.args.some((a) => typeof a !== "string"))
  )
    fail("upstream.args", "must be an array of strings");
  const env = stringMap(value.env, "upstream.env");
  return {
    command,
    ...(value.args ? { args: value.args as string[] } : {}),
    ...(env ? { env } : {}),
    ...(typeof value.cwd === "string" ? { cwd: value.cwd } : {}),
  };
}

/** Checks a parsed config file; throws a PaywallError naming the field to fix. */
export function parseProxyConfig(value: unknown): ProxyConfig {
  if (!isRecord(value)) return fail("(root)", "must be a JSON object");
  const polar = isRecord(value.polar) ? value.polar : fail("polar", "must be an object");
  const tools: Record<string, ToolPrice> = {};
  if (value.tools !== undefined) {
    if (!isRecord(value.tools)) fail("tools", "must be an object of prices");
    for (const [name, price] of Object.entries(value.tools as Record<string, unknown>))
      tools[name] = parsePrice(price, `tools.${name}`);
  }
  if (
    value.free !== undefined &&
    (!Array.isArray(value.free) || value.free.some((t) => typeof t !== "string"))
  )
    fail("free", "must be an array of tool names");
  const free = (value.free as string[] | undefined) ?? [];
  for (const name of free) if (name in tools) fail(`free`, `lists \`${name}\`, which has a price`);
  if (value.priceIn !== undefined && value.priceIn !== "meta" && value.priceIn !== "both")
    fail("priceIn", 'must be "meta" or "both"');
  if (polar.type !== undefined && polar.type !== "production" && polar.type !== "sandbox")
    fail("polar.type", 'must be "production" or "sandbox"');
  return {
    upstream: parseUpstream(value.upstream),
    polar: {
      productId: nonEmpty(polar.productId, "polar.productId"),
      organizationId: nonEmpty(polar.organizationId, "polar.organizationId"),
      ...(polar.baseUrl !== undefined ? { baseUrl: nonEmpty(polar.baseUrl, "polar.baseUrl") } : {}),
      ...(polar.type !== undefined ? { type: polar.type as "production" | "sandbox" } : {}),
      ...(polar.successUrl !== undefined
        ? { successUrl: nonEmpty(polar.successUrl, "polar.successUrl") }
        : {}),
    },
    tools,
    free,
    defaultPrice: value.defaultPrice === undefined ? 1 : units(value.defaultPrice, "defaultPrice"),
    eventName: value.eventName === undefined ? "tool_call" : nonEmpty(value.eventName, "eventName"),
    priceIn: (value.priceIn as "meta" | "both" | undefined) ?? "both",
  };
}

/** A tool's price, or `"free"`. */
export function priceOf(config: ProxyConfig, tool: string): ToolPrice | "free" {
  if (config.free?.includes(tool)) return "free";
  return config.tools?.[tool] ?? config.defaultPrice ?? 1;
}

/** A dotted path read from an object (`a.b.c`). */
export function readPath(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split(".")) {
    if (!isRecord(current)) return undefined;
    current = current[part];
  }
  return current;
}

/** The units a call is authorized for, before it runs. */
export function unitsBefore(price: ToolPrice, args: unknown): number {
  if (typeof price === "number") return price;
  if ("argument" in price) {
    const value = readPath(args, price.argument);
    return typeof value === "number" && Number.isFinite(value) && value >= 0
      ? Math.max(value, price.min ?? 0)
      : (price.min ?? 1);
  }
  return price.estimate ?? 1;
}

/** The units charged once the tool returned (result-priced tools read the result). */
export function unitsAfter(price: ToolPrice, before: number, structured: unknown): number {
  if (typeof price === "number" || !("result" in price)) return before;
  const value = readPath(structured, price.result);
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : before;
}

/** How tools/list describes a price. */
export function describePrice(price: ToolPrice | "free"): string {
  if (price === "free") return "Free.";
  if (typeof price === "number") return `Paid: ${price} credit${price === 1 ? "" : "s"} per call.`;
  if ("argument" in price) return `Paid: one credit per unit of \`${price.argument}\`.`;
  return "Paid: credits as the result reports.";
}
