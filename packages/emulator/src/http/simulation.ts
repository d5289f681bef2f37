import type { EmulatorContext } from "../context.js";

/**
 * Production conditions the paywall (or any client) must survive, reproduced on demand:
 * network latency, Polar's rate limits, and Polar's delayed customer-meter balances.
 */
export interface SimulationOptions {
  /** Added before every `/v1` response, in ms (what a Polar 50–150 ms away costs). Default 0. */
  latencyMs?: number;
  /**
   * `"polar"`: Polar's production limit, 500 requests per minute per credential, fixed
   * windows, `429` with an empty body and `Retry-After` (seconds). `"polar-sandbox"`: 100 per
   * minute. Or an explicit `{ limit, windowMs }`. Default: none.
   */
  rateLimit?: "polar" | "polar-sandbox" | { limit: number; windowMs: number };
  /**
   * Customer meters and customer state show balances as of at least this many ms ago, as
   * Polar's debounced recompute job does (≥ 15 s upstream). Event ingestion, event lists
   * and meter quantities stay live, as in Polar. Default 0.
   */
  meterLagMs?: number;
}

/** `env` is the node server's `{ incoming, outgoing }` (the socket, for per-client limits). */
type Handler = (request: Request, env?: unknown) => Promise<Response>;

const RATE_LIMITS = {
  polar: { limit: 500, windowMs: 60_000 },
  "polar-sandbox": { limit: 100, windowMs: 60_000 },
} as const;

const lags = new WeakMap<EmulatorContext, number>();

/**
 * The newest event seq a lagged customer meter may count, or undefined without lag: only
 * events ingested at least `meterLagMs` ago (on the emulator's clock) are visible.
 */
export function visibleEventSeq(ctx: EmulatorContext): number | undefined {
  const lag = lags.get(ctx);
  if (!lag) return undefined;
  const cutoff = ctx.clock.now().getTime() - lag;
  const row = ctx.store.db
    .prepare("SELECT seq FROM usage_events WHERE ingested_at <= ? ORDER BY seq DESC LIMIT 1")
    .get(cutoff) as { seq: number } | undefined;
  return row?.seq ?? 0;
}

function rateLimiter(option: NonNullable<SimulationOptions["rateLimit"]>) {
  const { limit, windowMs } = typeof option === "string" ? RATE_LIMITS[option] : option;
  const windows = new Map<string, { start: number; count: number }>();
  return (request: Request): Response | undefined => {
    const who = request.headers.get("authorization") ?? "anonymous";
    const now = Date.now();
    const start = now - (now % windowMs);
    let window = windows.get(who);
    if (!window || window.start !== start) {
      window = { start, count: 0 };
      windows.set(who, window);
    }
    window.count += 1;
    if (window.count <= limit) return undefined;
    const retryAfter = Math.max(1, Math.ceil((start + windowMs - now) / 1000));
    return new Response(null, { status: 429, headers: { "retry-after": String(retryAfter) } });
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Wraps the emulator's handler with the configured conditions; `/__emulator` is exempt. */
export function withSimulation(
  handler: Handler,
  options: SimulationOptions,
  ctx: EmulatorContext,
): Handler {
  if (options.meterLagMs) lags.set(ctx, options.meterLagMs);
  const latency = options.latencyMs ?? 0;
  const limited = options.rateLimit ? rateLimiter(options.rateLimit) : undefined;
  if (!latency && !limited) return handler;
  return async (request, env) => {
    if (!new URL(request.url).pathname.startsWith("/v1")) return handler(request, env);
    if (latency) await sleep(latency);
    return limited?.(request) ?? handler(request, env);
  };
}
