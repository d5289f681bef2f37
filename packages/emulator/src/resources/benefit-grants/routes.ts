import { asList, paginate, sortBy } from "../../http/list.js";
import type { OperationHandlers } from "../../http/operation.js";
import { customers } from "../customers/store.js";
import { organizationFilterAdmits, organizationOf } from "../scope.js";
import { benefitGrantRead, benefitGrants } from "./store.js";

/** `GET /v1/benefit-grants/`: the organization's grants, whatever they came from. */
export const benefitGrantHandlers: OperationHandlers = {
  "benefit-grants:list": (req, ctx) => {
    const organizationId = organizationOf(req.principal);
    if (!organizationFilterAdmits(req.query.organization_id, organizationId))
      return paginate([], req.query);
    const customerIds = asList(req.query.customer_id);
    const externalIds = asList(req.query.external_customer_id);
    const granted = typeof req.query.is_granted === "boolean" ? req.query.is_granted : undefined;
    const items = benefitGrants(ctx)
      .byOrganization(organizationId)
      .filter((g) => !customerIds || customerIds.includes(g.customer_id))
      .filter(
        (g) =>
          !externalIds ||
          externalIds.includes(customers(ctx).get(g.customer_id)?.external_id ?? ""),
      )
      .filter((g) => granted === undefined || g.is_granted === granted);
    const sorted = sortBy(items, req.query.sorting, {
      created_at: (g) => g.created_at,
      granted_at: (g) => g.granted_at,
      revoked_at: (g) => g.revoked_at,
    });
    const page = paginate(sorted, req.query);
    return { ...page, items: page.items.map((g) => benefitGrantRead(ctx, g)) };
  },
};
