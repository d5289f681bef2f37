import { notFound } from "../../http/errors.js";
import { paginate } from "../../http/list.js";
import type { OperationHandlers } from "../../http/operation.js";
import { customerMetersOf } from "../customer-meters/store.js";
import { organizations } from "../organizations/store.js";
import { productRead, products } from "../products/store.js";
import { portalCustomer } from "./scope.js";

/** Who the session is, the organization's public page, the customer's meters. */
export const portalSessionHandlers: OperationHandlers = {
  "customer_portal:customer-session:introspect": (req, ctx) => {
    portalCustomer(ctx, req.principal);
    const token = ctx.tokens.get(req.principal.kind === "customer" ? req.principal.tokenId : "");
    const returnUrl = (token as { return_url?: string | null } | undefined)?.return_url;
    return { expires_at: token?.expires_at, return_url: returnUrl ?? null };
  },
  "customer_portal:customer-session:get_authenticated_user": (req, ctx) => {
    const customer = portalCustomer(ctx, req.principal);
    return ctx.shaper.shape("PortalAuthenticatedUser", {
      type: "customer",
      name: customer.name,
      email: customer.email ?? "",
      customer_id: customer.id,
      member_id: null,
      role: null,
    });
  },
  "customer_portal:organizations:get": (req, ctx) => {
    const organization = organizations(ctx).findBy("slug", req.path.slug ?? "")[0];
    if (!organization) throw notFound();
    const listed = products(ctx)
      .byOrganization(organization.id)
      .filter((p) => !p.is_archived && p.visibility === "public")
      .map((p) => productRead(ctx, p));
    return ctx.shaper.shape("CustomerOrganizationData", {
      organization: {
        ...organization,
        proration_behavior: "prorate",
        allow_customer_updates: true,
        customer_portal_settings: {
          usage: { show: true },
          subscription: { update_seats: true, update_plan: true },
        },
      },
      products: listed,
    });
  },
  "customer_portal:customer_meters:list": (req, ctx) => {
    const customer = portalCustomer(ctx, req.principal);
    const meterIds =
      req.query.meter_id === undefined ? undefined : [req.query.meter_id].flat().map(String);
    const items = customerMetersOf(ctx, customer, true).filter(
      (m) => !meterIds || meterIds.includes(m.meter.id),
    );
    const page = paginate(items, req.query);
    return {
      ...page,
      items: page.items.map((m) =>
        ctx.shaper.shape("CustomerCustomerMeter", {
          ...m,
          customer_id: customer.id,
          meter_id: m.meter.id,
        }),
      ),
    };
  },
  "customer_portal:customer_meters:get": (req, ctx) => {
    const customer = portalCustomer(ctx, req.principal);
    const meter = customerMetersOf(ctx, customer, false).find((m) => m.id === req.path.id);
    if (!meter) throw notFound();
    return ctx.shaper.shape("CustomerCustomerMeter", {
      ...meter,
      customer_id: customer.id,
      meter_id: meter.meter.id,
    });
  },
};
