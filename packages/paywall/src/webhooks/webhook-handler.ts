import { webhooks } from "@polar-sh/sdk/2026-10";

export interface WebhookHandlerOptions {
  /** The endpoint's secret from Polar (`whsec_…`). Env fallback `POLAR_WEBHOOK_SECRET`. */
  secret?: string;
  /**
   * The public URL this handler answers at (e.g. `https://mcp.example.com/polar/webhooks`):
   * the paywall registers it in Polar with the events it needs, keeps it registered and
   * reads its secret from Polar (then `secret` is not needed).
   */
  publicUrl?: string;
}

/** A web-standard request handler (Hono, Next.js, Bun, Deno, `node:http` through `toNodeHandler`). */
export type WebhookHandler = (request: Request) => Promise<Response>;

/** Event types after which what the paywall cached about the customer may be wrong. */
const INVALIDATING = new Set([
  "benefit_grant.created",
  "benefit_grant.updated",
  "benefit_grant.revoked",
  "benefit_grant.cycled",
  "subscription.revoked",
  "subscription.canceled",
  "subscription.updated",
  "subscription.active",
  "subscription.cycled",
  "subscription.past_due",
  "customer.state_changed",
  "customer.updated",
  "customer.deleted",
  "order.paid",
  "order.refunded",
]);

/** The customer a payload is about: `data.customer_id`, or `data.id` for customer events. */
function customerOf(type: string, data: unknown): string | undefined {
  const d = data as { id?: unknown; customer_id?: unknown } | undefined;
  const id = type.startsWith("customer.") ? d?.id : d?.customer_id;
  return typeof id === "string" ? id : undefined;
}

/** The part of a `customer.state_changed` payload the paywall reads. */
export interface CustomerStatePayload {
  id: string;
  granted_benefits?: { benefit_id: string }[];
  active_meters?: { meter_id: string; credited_units: number; consumed_units: number }[];
}

function isState(data: unknown): data is CustomerStatePayload {
  return typeof data === "object" && data !== null && typeof Reflect.get(data, "id") === "string";
}

/** Verifies the signature with each secret in turn (Standard Webhooks, the official SDK). */
async function verified(
  body: string,
  headers: Record<string, string>,
  secrets: string[],
): Promise<{ ok: true; type: string; data: unknown } | { ok: false; unknownType: boolean }> {
  for (const secret of secrets) {
    try {
      const event = await webhooks.validateEvent(body, headers, secret);
      return { ok: true, type: event.type, data: event.data };
    } catch (error) {
      // Signed right, but a type this SDK does not know: nothing the paywall needs.
      if (error instanceof Error && error.name === "PolarWebhookUnknownTypeError")
        return { ok: false, unknownType: true };
    }
  }
  return { ok: false, unknownType: false };
}

/**
 * Verifies a Polar webhook (Standard Webhooks signature, with `webhooks.validateEvent` of the
 * official SDK) and invalidates the customer it is about. Answers 403 to a bad signature,
 * 202 once the customer is invalidated, 200 for events the paywall does not need.
 */
export function createWebhookHandler(
  invalidate: (customerId: string) => Promise<void>,
  options: WebhookHandlerOptions = {},
  /** The registered endpoints' secrets, read from Polar (with `publicUrl`). */
  registeredSecrets?: () => Promise<string[]>,
  /** Applies a `customer.state_changed` payload instead of forgetting the customer. */
  stateChanged?: (state: CustomerStatePayload) => Promise<void>,
): WebhookHandler {
  const configured = options.secret ?? process.env.POLAR_WEBHOOK_SECRET ?? "";
  return async (request) => {
    if (request.method !== "POST") return new Response(null, { status: 405 });
    let secrets = [configured];
    if (registeredSecrets && !options.secret) {
      try {
        secrets = await registeredSecrets();
      } catch {
        // Polar keeps the delivery and sends it again; the sweeps cover the meantime.
        return Response.json({ error: "webhook endpoint not registered yet" }, { status: 503 });
      }
    }
    const body = await request.text();
    const payload = await verified(body, Object.fromEntries(request.headers), secrets);
    if (!payload.ok)
      return Response.json(
        { error: payload.unknownType ? "ignored" : "invalid signature" },
        { status: payload.unknownType ? 200 : 403 },
      );
    if (payload.type === "customer.state_changed" && stateChanged && isState(payload.data)) {
      await stateChanged(payload.data);
      return Response.json({ ok: true, applied: payload.data.id }, { status: 202 });
    }
    const customerId = INVALIDATING.has(payload.type)
      ? customerOf(payload.type, payload.data)
      : undefined;
    if (!customerId) return Response.json({ ok: true, invalidated: null });
    await invalidate(customerId);
    return Response.json({ ok: true, invalidated: customerId }, { status: 202 });
  };
}
