import { createHash } from "node:crypto";
import { CheckoutUrls } from "../checkout/checkout-urls.js";
import { PaywallError } from "../errors.js";
import { createPolarApi, type FetchLike, type PolarApi } from "../polar/polar-api.js";
import { DirectUsageRecorder, type UsageRecorder } from "../usage/usage-recorder.js";
import { authorize, type Authorization } from "./authorize.js";
import { resolveBaseUrl, SILENT_LOGGER, type Configuration } from "./config.js";
import { loadProductPlan, type ProductPlan } from "./product-plan.js";
import { messages, type UsageEvent, type ValidateLicenseKeyResult } from "./result.js";
import { CachedValue } from "./single-flight.js";
import { existsSync } from "node:fs";
import { createEngine, outboxScope } from "../engine/create-engine.js";
import { outboxPath } from "../outbox/open-outbox.js";
import { invalidEventMessage, usageEventProblem } from "./usage-event.js";
import type { AuthorizeOptions, PaywallEngine } from "../engine/paywall-engine.js";
import { WebhookEndpointKeeper } from "../webhooks/endpoint-keeper.js";
import {
  createWebhookHandler,
  type WebhookHandler,
  type WebhookHandlerOptions,
} from "../webhooks/webhook-handler.js";

const instances = new Map<string, PolarProvider>();
const fetchIds = new WeakMap<FetchLike, number>();
let nextFetchId = 1;

function instanceKey(config: Configuration): string {
  let fetchId = 0;
  if (config.fetch) {
    fetchId = fetchIds.get(config.fetch) ?? nextFetchId++;
    fetchIds.set(config.fetch, fetchId);
  }
  const token = createHash("sha256").update(config.token).digest("hex");
  return JSON.stringify([
    resolveBaseUrl(config),
    config.organizationId,
    config.productId,
    token,
    fetchId,
    config.delivery ?? "background",
    config.outbox ?? null,
    config.redisUrl ?? null,
    config.cache ?? null,
    config.batch ?? null,
    config.failMode ?? null,
    config.graceMs ?? null,
    config.sessionSpendCap ?? null,
    config.sync ?? null,
    config.budget ?? null,
  ]);
}

function required(config: Configuration): void {
  for (const field of ["token", "organizationId", "productId"] as const) {
    if (typeof config[field] !== "string" || config[field].trim() === "") {
      throw new PaywallError(
        "invalid_config",
        `PolarProvider.getInstance: \`${field}\` is required (a non-empty string).`,
      );
    }
  }
}

/**
 * Charges for MCP tools with Polar license keys, meter credits and usage events — the API
 * of `@xmcp-dev/polar`, so switching is one import.
 *
 * @example
 * export const polar = PolarProvider.getInstance({
 *   type: "sandbox",
 *   token: process.env.POLAR_TOKEN!,
 *   organizationId: process.env.POLAR_ORGANIZATION_ID!,
 *   productId: process.env.POLAR_PRODUCT_ID!,
 * });
 * const result = await polar.validateLicenseKey(licenseKey, { name: "tool_call", metadata: { tool_name: "greet" } });
 * if (!result.valid) return result.message;
 */
export class PolarProvider {
  private readonly api: PolarApi;
  private readonly plan: CachedValue<ProductPlan>;
  private readonly checkout: CheckoutUrls;
  private readonly recorder: UsageRecorder;
  private engine: PaywallEngine | undefined;

  private constructor(readonly config: Readonly<Configuration>) {
    this.api = createPolarApi({
      accessToken: config.token,
      baseUrl: resolveBaseUrl(config),
      ...(config.fetch ? { fetch: config.fetch } : {}),
      ...(config.timeoutSeconds ? { timeoutSeconds: config.timeoutSeconds } : {}),
    });
    this.plan = new CachedValue(
      () => loadProductPlan(this.api, config.productId),
      config.productCacheMs ?? 60_000,
    );
    this.checkout = new CheckoutUrls(this.api, config.productId, {
      successUrl: config.successUrl,
      logger: this.logger,
    });
    this.recorder = new DirectUsageRecorder(this.api);
    // Resend on restart: usage left in the outbox by a previous run ships without waiting
    // for the first call.
    const outbox = outboxPath(config, outboxScope(config));
    if (this.background && outbox !== ":memory:" && existsSync(outbox)) {
      try {
        this.backgroundEngine();
      } catch (error) {
        this.logFailure("paywall: outbox of a previous run not reopened", error);
      }
    }
  }

  /** The provider for this configuration: one instance per distinct configuration. */
  static getInstance(config: Configuration): PolarProvider {
    required(config);
    const key = instanceKey(config);
    let instance = instances.get(key);
    if (!instance) {
      instance = new PolarProvider({ ...config });
      instances.set(key, instance);
    }
    return instance;
  }

  /**
   * Validates a license key for the configured product, checks its usage limit, expiry and
   * meter credits, and records the usage event (the seed's behaviour: usage is recorded when
   * the call is attempted). Without an event it only validates (nothing is recorded; a key
   * at its usage limit or a customer without credits is still refused). Never throws:
   * failures come back as `license_key_error`.
   */
  async validateLicenseKey(
    licenseKey: string | undefined | null,
    event?: UsageEvent,
  ): Promise<ValidateLicenseKeyResult> {
    const validationOnly = event === undefined;
    const authorization = await this.authorize(licenseKey, event ?? VALIDATION_EVENT);
    if (!authorization.valid) return toResult(authorization);
    if (validationOnly) {
      authorization.release();
      const { balance: _reservedView, ...result } = toResult(authorization);
      return result;
    }
    try {
      await authorization.commit(event);
    } catch (error) {
      this.logFailure("paywall: usage event not recorded", error, authorization.customerId);
      return {
        valid: false,
        code: "license_key_error",
        message:
          error instanceof PaywallError && error.code === "invalid_usage_event"
            ? error.message
            : messages.notRecorded(),
        ...(authorization.customerId ? { customerId: authorization.customerId } : {}),
      };
    }
    return toResult(authorization);
  }

  /**
   * Decides on a paid call without recording usage yet: commit it after the tool succeeds
   * (what the adapters do), or release it. Never throws; an event that cannot be billed
   * (NaN, infinite or negative amounts) is refused with a message saying what to fix.
   */
  async authorize(
    licenseKey: string | undefined | null,
    event: UsageEvent,
    options: AuthorizeOptions = {},
  ): Promise<Authorization> {
    const problem = usageEventProblem(event);
    if (problem) return refusal(invalidEventMessage(problem));
    let authorization: Authorization;
    try {
      authorization = await this.decide(licenseKey, event, options);
    } catch (error) {
      this.logFailure("paywall: license key validation failed", error);
      return refusal(messages.unavailable("internal error"));
    }
    if (!authorization.valid) return authorization;
    // The committed event is checked too (variable costs are known only after the tool ran).
    return {
      ...authorization,
      commit: async (committed?: UsageEvent) => {
        const committedProblem = committed === undefined ? undefined : usageEventProblem(committed);
        if (committedProblem) {
          authorization.release();
          throw new PaywallError("invalid_usage_event", invalidEventMessage(committedProblem));
        }
        await authorization.commit(committed);
      },
      release: () => authorization.release(),
    };
  }

  private decide(
    licenseKey: string | undefined | null,
    event: UsageEvent,
    options: AuthorizeOptions,
  ): Promise<Authorization> {
    if (this.background) return this.backgroundEngine().authorize(licenseKey, event, options);
    return authorize(
      {
        api: this.api,
        plan: () => this.plan.get(),
        checkout: this.checkout,
        recorder: this.recorder,
        organizationId: this.config.organizationId,
        licenseKeyHeader: this.config.licenseKeyHeader ?? "license-key",
        logger: this.logger,
        now: () => new Date(),
      },
      licenseKey,
      event,
    );
  }

  /** Logs a failure by name and code only: never a message (it may hold paths or secrets). */
  private logFailure(message: string, error: unknown, customerId?: string): void {
    this.logger.error(message, {
      code: error instanceof PaywallError ? error.code : "license_key_error",
      reason: error instanceof Error ? error.name : typeof error,
      ...(customerId ? { customerId } : {}),
    });
  }

  /** A checkout URL for the configured product (one reusable checkout link). */
  getCheckoutUrl(): Promise<string> {
    return this.checkout.forProduct();
  }

  /** Forgets cached product settings (after changing the product's benefits in Polar). */
  refresh(): void {
    this.plan.invalidate();
    this.engine?.invalidateAll();
  }

  /**
   * Forgets what is cached about a customer (their keys, benefits and balances): the next
   * call asks Polar. The webhook handler calls it; with Redis every replica forgets.
   */
  async invalidateCustomer(customerId: string): Promise<void> {
    await this.engine?.invalidateCustomer(customerId);
  }

  /**
   * A web-standard handler for Polar webhooks (`POST` it at the URL you register in Polar):
   * verifies the signature, then invalidates the customer on grant, subscription and
   * customer-state changes, so a revoked benefit blocks the very next call.
   *
   * @example
   * const onWebhook = polar.webhookHandler({ secret: process.env.POLAR_WEBHOOK_SECRET! });
   * // Hono: app.post("/polar/webhooks", (c) => onWebhook(c.req.raw))
   */
  webhookHandler(options: WebhookHandlerOptions): WebhookHandler {
    // With its public URL, the handler registers (and keeps) its own endpoint in Polar.
    const keeper = options.publicUrl
      ? this.background
        ? this.backgroundEngine().keepWebhookEndpoint(options.publicUrl)
        : new WebhookEndpointKeeper(this.api, options.publicUrl, this.logger)
      : undefined;
    return createWebhookHandler(
      (customerId) => this.invalidateCustomer(customerId),
      options,
      keeper && (() => keeper.secrets()),
      this.background ? (state) => this.backgroundEngine().customerStateChanged(state) : undefined,
    );
  }

  /** Ships every pending usage event now (background delivery); a no-op for direct delivery. */
  async flush(timeoutMs?: number): Promise<void> {
    if (this.background) await this.backgroundEngine().flush(timeoutMs);
  }

  /** Usage events accepted but not yet acknowledged by Polar. */
  pendingEvents(): number {
    return this.engine?.pending() ?? 0;
  }

  /**
   * Flushes pending usage (up to `timeoutMs`, default 5 s; what is left stays in the outbox
   * for the next start) and releases the outbox and Redis. Call it on SIGTERM.
   */
  async close(timeoutMs?: number): Promise<void> {
    const engine = this.engine;
    this.engine = undefined;
    exiting.delete(this);
    for (const [key, instance] of instances) if (instance === this) instances.delete(key);
    await engine?.close(timeoutMs);
  }

  private get background(): boolean {
    return (this.config.delivery ?? "background") === "background";
  }

  /** Opened on first use, so constructing a provider touches no file and no socket. */
  private backgroundEngine(): PaywallEngine {
    if (!this.engine) {
      this.engine = createEngine(this.config, {
        api: this.api,
        checkout: this.checkout,
        logger: this.logger,
      });
      shipOnExit(this);
    }
    return this.engine;
  }

  private get logger() {
    return this.config.logger ?? SILENT_LOGGER;
  }
}

/** What `validateLicenseKey(key)` authorizes with: it is released, never recorded. */
const VALIDATION_EVENT: UsageEvent = { name: "polar_paywall.validation" };

function refusal(message: string): Authorization {
  return {
    valid: false,
    code: "license_key_error",
    message,
    commit: async () => {},
    release: () => {},
  };
}

/** Providers whose accepted usage still has to reach Polar when the process ends normally. */
const exiting = new Set<PolarProvider>();
let exitHookInstalled = false;

/**
 * A process that ends normally (its event loop empties) ships its usage first: `beforeExit`
 * flushes every open provider, once, for up to 5 s. `process.exit()` and signals skip
 * `beforeExit`: call `close()` there.
 */
function shipOnExit(provider: PolarProvider): void {
  exiting.add(provider);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  let flushing = false;
  process.on("beforeExit", () => {
    if (flushing) return;
    const waiting = [...exiting].filter((p) => p.pendingEvents() > 0);
    if (waiting.length === 0) return;
    flushing = true;
    void Promise.allSettled(waiting.map((p) => p.flush(5_000))).then(() => {
      flushing = false;
      // Flushed or given up: do not hold the process again for these providers.
      for (const p of waiting) exiting.delete(p);
    });
  });
}

function toResult(authorization: Authorization): ValidateLicenseKeyResult {
  const { valid, code, message, checkoutUrl, customerId, balance } = authorization;
  return {
    valid,
    code,
    message,
    ...(checkoutUrl !== undefined ? { checkoutUrl } : {}),
    ...(customerId !== undefined ? { customerId } : {}),
    ...(balance !== undefined ? { balance } : {}),
  };
}
