import type { EmulatorContext } from "../../context.js";
import { badRequest, notFound } from "../../http/errors.js";
import { asList, paginate, sortBy } from "../../http/list.js";
import type { OperationHandlers, OperationRequest } from "../../http/operation.js";
import { createCustomerSession } from "../customer-sessions/service.js";
import { customers } from "../customers/store.js";
import { organizationFilterAdmits, organizationForCreate, organizationOf } from "../scope.js";
import { confirmCheckout, PaymentDeclined } from "./confirm.js";
import { checkoutConfirmedRead, checkoutPublicRead, checkoutRead } from "./read.js";
import { createCheckout, updateCheckout } from "./service.js";
import { checkouts, findCheckout, findCheckoutBySecret, type CheckoutRecord } from "./store.js";
import { expireIfDue } from "./expiry.js";

const byId = (req: OperationRequest, ctx: EmulatorContext): CheckoutRecord => {
  const record = findCheckout(ctx, organizationOf(req.principal), req.path.id ?? "");
  if (!record) throw notFound();
  return expireIfDue(ctx, record);
};

const bySecret = (req: OperationRequest, ctx: EmulatorContext): CheckoutRecord => {
  const record = findCheckoutBySecret(ctx, req.path.client_secret ?? "");
  if (!record) throw notFound();
  return expireIfDue(ctx, record);
};

export const checkoutHandlers: OperationHandlers = {
  "checkouts:list": (req, ctx) => {
    const organizationId = organizationOf(req.principal);
    if (!organizationFilterAdmits(req.query.organization_id, organizationId))
      return paginate([], req.query);
    const productIds = asList(req.query.product_id);
    const customerIds = asList(req.query.customer_id);
    const externalIds = asList(req.query.external_customer_id);
    const statuses = asList(req.query.status);
    const q = typeof req.query.query === "string" ? req.query.query.toLowerCase() : undefined;
    const items = checkouts(ctx)
      .byOrganization(organizationId)
      .map((c) => expireIfDue(ctx, c))
      .filter((c) => !productIds || productIds.includes(c.product_id))
      .filter(
        (c) => !customerIds || (c.customer_id !== null && customerIds.includes(c.customer_id)),
      )
      .filter(
        (c) =>
          !externalIds ||
          (c.external_customer_id !== null && externalIds.includes(c.external_customer_id)),
      )
      .filter((c) => !statuses || statuses.includes(c.status))
      .filter(
        (c) =>
          !q || [c.customer_email, c.customer_name, c.id].some((v) => v?.toLowerCase().includes(q)),
      );
    const sorted = sortBy(items, req.query.sorting, {
      created_at: (c) => c.created_at,
      expires_at: (c) => c.expires_at,
      status: (c) => c.status,
    });
    const page = paginate(sorted, req.query);
    return { ...page, items: page.items.map((c) => checkoutRead(ctx, c)) };
  },
  "checkouts:create": (req, ctx) => {
    const organizationId = organizationForCreate(req.principal, req.body);
    return checkoutRead(ctx, createCheckout(ctx, organizationId, req.body));
  },
  "checkouts:get": (req, ctx) => checkoutRead(ctx, byId(req, ctx)),
  "checkouts:update": (req, ctx) =>
    checkoutRead(ctx, updateCheckout(ctx, byId(req, ctx), req.body)),
  "checkouts:client_get": (req, ctx) => checkoutPublicRead(ctx, bySecret(req, ctx)),
  "checkouts:client_update": (req, ctx) =>
    checkoutPublicRead(ctx, updateCheckout(ctx, bySecret(req, ctx), req.body)),
  "checkouts:client_confirm": (req, ctx) => {
    const { confirmation_token_id: token, ...patch } = req.body as Record<string, unknown>;
    try {
      const done = confirmCheckout(ctx, bySecret(req, ctx), patch, {
        confirmationTokenId: typeof token === "string" ? token : null,
      });
      // Polar hands the buyer's browser a customer session to open the portal right away.
      const customer = done.customer_id ? customers(ctx).get(done.customer_id) : undefined;
      const session = customer ? createCustomerSession(ctx, customer) : undefined;
      // The emulator pays at once, but the confirm answer is Polar's: `confirmed` (the
      // document's const); the session reads `succeeded` from then on.
      return checkoutConfirmedRead(ctx, { ...done, status: "confirmed" }, session?.token ?? null);
    } catch (error) {
      if (error instanceof PaymentDeclined) throw badRequest(error.message);
      throw error;
    }
  },
};
