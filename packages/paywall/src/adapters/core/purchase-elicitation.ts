import { randomUUID } from "node:crypto";
import type { ValidateLicenseKeyResult, ValidationCode } from "../../provider/result.js";

/** Denials a purchase fixes: no key, exhausted credits, a key used up, expired or of no product. */
export const PURCHASE_FIXABLE: ReadonlySet<ValidationCode> = new Set<ValidationCode>([
  "license_key_missing",
  "license_key_not_granted",
  "license_key_usage_limit_reached",
  "license_key_expired",
  "meter_credit_exhausted",
]);

/** Whether the client declared URL-mode elicitation (MCP 2025-11-25, SEP-1036). */
export function supportsUrlElicitation(capabilities: unknown): boolean {
  const elicitation = (capabilities as { elicitation?: unknown } | undefined)?.elicitation;
  if (typeof elicitation !== "object" || elicitation === null) return false;
  return typeof (elicitation as { url?: unknown }).url === "object";
}

/** The `params` of an `elicitation/create` request in URL mode. */
export interface UrlElicitation {
  mode: "url";
  elicitationId: string;
  url: string;
  message: string;
}

/** Whether a denial should become a URL elicitation: a purchase fixes it and there is a URL. */
export function purchaseElicitation(denial: ValidateLicenseKeyResult): UrlElicitation | undefined {
  if (!PURCHASE_FIXABLE.has(denial.code) || !denial.checkoutUrl) return undefined;
  const newCustomer = denial.code === "license_key_missing" || !denial.customerId;
  return {
    mode: "url",
    elicitationId: randomUUID(),
    url: denial.checkoutUrl,
    message: newCustomer
      ? `${denial.message} After paying, your license key is in Polar's customer portal (reached from the order email): send it in the \`license-key\` header (or POLAR_LICENSE_KEY over stdio), then retry.`
      : `${denial.message} Open the checkout to pay; the call can be retried once the purchase is confirmed.`,
  };
}

interface Waiting {
  customerId: string;
  /** Whether the customer may now make the call (asked again at each webhook). */
  ready: () => Promise<boolean>;
  complete: () => Promise<void>;
}

/**
 * Elicitations waiting for a purchase, by customer. When Polar reports a change for a
 * customer (a verified webhook), each waiting elicitation whose call would now pass is
 * completed (`notifications/elicitation/complete`) once, and forgotten.
 */
export class PurchaseWaits {
  private readonly waiting = new Map<string, Waiting>();

  /** Registers an elicitation; returns a function that forgets it (session closed). */
  add(elicitationId: string, waiting: Waiting): () => void {
    this.waiting.set(elicitationId, waiting);
    return () => this.waiting.delete(elicitationId);
  }

  /** Elicitations still waiting. */
  get size(): number {
    return this.waiting.size;
  }

  /** Called after Polar reported a change for the customer; completes what is now paid. */
  async customerChanged(customerId: string): Promise<number> {
    let completed = 0;
    for (const [id, waiting] of [...this.waiting]) {
      if (waiting.customerId !== customerId) continue;
      if (!(await waiting.ready())) continue;
      if (!this.waiting.delete(id)) continue;
      await waiting.complete();
      completed += 1;
    }
    return completed;
  }
}

/** What an adapter knows at the moment it refuses a paid call. */
export interface PurchaseEdge {
  /** The client's declared capabilities (from its initialize). */
  clientCapabilities: unknown;
  /** Sends `notifications/elicitation/complete` for an elicitation id (the SDK's notifier). */
  completionNotifier: (elicitationId: string) => () => Promise<void>;
  waits: PurchaseWaits;
  /** Whether the refused call would pass now (asked after each webhook about the customer). */
  ready: () => Promise<boolean>;
}

/**
 * The payment loop's core: for a denial a purchase fixes, when the client declared URL
 * elicitation, returns the elicitation to send (as -32042 `URLElicitationRequiredError`) and,
 * when the customer is known, registers it for completion on their purchase. `undefined`:
 * keep the structured `isError` denial.
 */
export function elicitPurchase(
  denial: ValidateLicenseKeyResult,
  edge: PurchaseEdge,
): { elicitation: UrlElicitation; forget: () => void } | undefined {
  const elicitation = purchaseElicitation(denial);
  if (!elicitation || !supportsUrlElicitation(edge.clientCapabilities)) return undefined;
  const forget = denial.customerId
    ? edge.waits.add(elicitation.elicitationId, {
        customerId: denial.customerId,
        ready: edge.ready,
        complete: edge.completionNotifier(elicitation.elicitationId),
      })
    : () => {};
  return { elicitation, forget };
}

/**
 * Wraps the paywall's webhook handler (`polar.webhookHandler(…)`): after a verified change of
 * a customer, completes the elicitations whose calls now pass.
 */
export function completingWebhooks(
  handler: (request: Request) => Promise<Response>,
  waits: PurchaseWaits,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const response = await handler(request);
    if (response.status !== 202) return response;
    const body = (await response.clone().json()) as { invalidated?: unknown };
    if (typeof body.invalidated === "string") await waits.customerChanged(body.invalidated);
    return response;
  };
}
