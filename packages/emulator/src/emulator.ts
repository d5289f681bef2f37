import type { Hono } from "hono";
import { EventBus } from "./bus.js";
import { createClock, type Clock } from "./clock.js";
import type { EmulatorContext, WebhookTransport } from "./context.js";
import { registerControlRoutes } from "./control/routes.js";
import { registerDashboardRoutes } from "./dashboard/routes.js";
import { createHttpApp } from "./http/app.js";
import type { ErrorLogSink } from "./http/error-log.js";
import { withSimulation, type SimulationOptions } from "./http/simulation.js";
import { loadDocument, type OpenApiDocument, type OperationSpec } from "./openapi/document.js";
import { Shaper } from "./openapi/shape.js";
import { useInstantBalances } from "./resources/customer-meters/debounce.js";
import { HANDLERS, registerListeners, registerPages } from "./resources/index.js";
import { seedDemo, type DemoSeed } from "./seed/demo.js";
import { Store } from "./store/store.js";
import { accessTokens } from "./tokens/tokens.js";

export interface EmulatorOptions extends SimulationOptions {
  /** SQLite file to persist to, or `:memory:` (default). */
  db?: string;
  /** `"demo"` creates a ready-to-use organization (idempotent). */
  seed?: "demo";
  /** Polar's OpenAPI document: an object, or a file path. Default: `POLAR_OPENAPI`, else the checkout's copy. */
  spec?: string | OpenApiDocument;
  /** The URL clients use to reach the emulator (links and hosted pages). Default `http://127.0.0.1:8787`. */
  baseUrl?: string;
  /** Webhook delivery: `fetch` (default the global one) and `random` for retry jitter. */
  webhooks?: Partial<WebhookTransport>;
  /**
   * Polar's limit on the customer-portal license-key endpoints (validate, activate,
   * deactivate): 3 requests/s per client, then 429 for 60 s. Default true; `false` for load
   * on those endpoints. The organization endpoints (`/v1/license-keys/validate` …) have no
   * such limit.
   */
  portalRateLimit?: boolean;
  /**
   * Host names (beyond IP literals, `localhost` and the emulator's own URL) the control plane
   * answers over a socket, e.g. a compose service name. Default none.
   */
  controlHosts?: readonly string[];
  /**
   * Customer meters and customer state count usage as soon as ingestion returns. Default
   * false: as Polar, usage is counted by a recompute debounced 15 s after a customer's last
   * ingestion (advance the clock, or read events, to see it now).
   */
  instantBalances?: boolean;
  /** Where each 500 writes its one structured line (default: JSON on stderr). */
  errorLog?: ErrorLogSink;
}

/** A running, in-process emulator: hand `fetch` to any client as its `fetch`. */
export interface Emulator {
  /** `env`: the node server's bindings (`{ incoming }`), so limits key on the socket's address. */
  fetch(request: Request, env?: unknown): Promise<Response>;
  readonly seed: DemoSeed | undefined;
  readonly clock: Clock;
  /** operationIds the emulator implements; the rest of the document answers 501. */
  readonly implemented: ReadonlySet<string>;
  readonly operations: readonly OperationSpec[];
  /** The Hono app, for mounting elsewhere. */
  readonly app: Hono;
  /** @internal state, for tests and the control plane. */
  readonly context: EmulatorContext;
  close(): Promise<void>;
}

/**
 * Creates an emulator in this process: a web-standard `fetch(Request)` handler over a
 * SQLite store. Starts in milliseconds; no network, no account.
 *
 * @example
 * const emulator = createEmulator({ seed: "demo" });
 * const res = await emulator.fetch(new Request("http://emulator/v1/products/", {
 *   headers: { Authorization: `Bearer ${emulator.seed!.accessToken}` },
 * }));
 */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const document = loadDocument(options.spec);
  const store = new Store(options.db ?? ":memory:");
  const ctx: EmulatorContext = {
    store,
    clock: createClock(),
    document,
    tokens: accessTokens(store),
    shaper: new Shaper(document),
    bus: new EventBus(),
    baseUrl: options.baseUrl ?? "http://127.0.0.1:8787",
    closeHooks: [],
    webhookTransport: {
      fetch: options.webhooks?.fetch ?? ((input, init) => fetch(input, init)),
      random: options.webhooks?.random ?? Math.random,
    },
  };
  if (options.instantBalances) useInstantBalances(ctx);
  registerListeners(ctx);
  const { app, implemented, operations } = createHttpApp(
    ctx,
    HANDLERS,
    (hono) => {
      registerControlRoutes(hono, ctx, options.controlHosts);
      registerPages(hono, ctx);
      registerDashboardRoutes(hono, ctx);
    },
    {
      portalRateLimit: options.portalRateLimit ?? true,
      ...(options.errorLog ? { errorLog: options.errorLog } : {}),
    },
  );
  const seed = options.seed === "demo" ? seedDemo(ctx) : undefined;
  const handle = withSimulation(
    async (request, env) => app.fetch(request, env ?? undefined),
    options,
    ctx,
  );
  return {
    fetch: handle,
    seed,
    clock: ctx.clock,
    implemented,
    operations,
    app,
    context: ctx,
    close: async () => {
      for (const hook of ctx.closeHooks) await hook();
      store.close();
    },
  };
}
