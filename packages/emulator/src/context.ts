import type { EventBus } from "./bus.js";
import type { Clock } from "./clock.js";
import type { AccessToken } from "./http/auth.js";
import type { OpenApiDocument } from "./openapi/document.js";
import type { Shaper } from "./openapi/shape.js";
import type { Collection } from "./store/collection.js";
import type { Store } from "./store/store.js";

/** What every handler and service of the emulator works with. */
export interface EmulatorContext {
  readonly store: Store;
  readonly clock: Clock;
  readonly document: OpenApiDocument;
  readonly tokens: Collection<AccessToken>;
  /** Shapes stored records into the document's response schemas. */
  readonly shaper: Shaper;
  /** The URL clients reach the emulator at (hosted pages and links are built on it). */
  baseUrl: string;
  /** Typed events between resources (grants, system events, webhooks). */
  readonly bus: EventBus;
  /** Run by `close()` before the store closes (webhook timers, in-flight deliveries). */
  readonly closeHooks: (() => void | Promise<void>)[];
  /** How webhooks reach receivers; tests inject `fetch` and the retry jitter. */
  readonly webhookTransport: WebhookTransport;
}

/** The webhook dispatcher's outside world, injectable for tests. */
export interface WebhookTransport {
  fetch: typeof fetch;
  /** In [0, 1): picks the retry delay within Polar's jitter window. */
  random: () => number;
}
