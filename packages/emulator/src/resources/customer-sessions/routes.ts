import { notFound } from "../../http/errors.js";
import type { OperationHandlers } from "../../http/operation.js";
import { findCustomer, findCustomerByExternalId } from "../customers/store.js";
import { organizationOf } from "../scope.js";
import { createCustomerSession, customerSessionRead } from "./service.js";

export const customerSessionHandlers: OperationHandlers = {
  "customer-sessions:create": (req, ctx) => {
    const organizationId = organizationOf(req.principal);
    const body = req.body as {
      customer_id?: string;
      external_customer_id?: string;
      return_url?: string | null;
    };
    const customer = body.customer_id
      ? findCustomer(ctx, organizationId, body.customer_id)
      : findCustomerByExternalId(ctx, organizationId, body.external_customer_id ?? "");
    if (!customer) throw notFound("Customer does not exist.");
    const session = createCustomerSession(ctx, customer, body.return_url ?? null);
    return customerSessionRead(ctx, session, customer);
  },
};
