import type { EmulatorContext } from "../../context.js";
import { notFound } from "../../http/errors.js";
import { asList, paginate, sortBy } from "../../http/list.js";
import type { OperationHandlers } from "../../http/operation.js";
import { organizationFilterAdmits, organizationOf } from "../scope.js";
import { customerMeterById, organizationCustomerMeters, type CustomerMeterView } from "./store.js";

const read = (ctx: EmulatorContext, view: CustomerMeterView) =>
  ctx.shaper.shape("CustomerMeter", {
    id: view.id,
    created_at: view.created_at,
    modified_at: view.modified_at,
    customer_id: view.customer.id,
    meter_id: view.meter.id,
    consumed_units: view.consumed_units,
    credited_units: view.credited_units,
    balance: view.balance,
    customer: view.customer,
    meter: view.meter,
  });

export const customerMeterHandlers: OperationHandlers = {
  "customer_meters:list": (req, ctx) => {
    const organizationId = organizationOf(req.principal);
    if (!organizationFilterAdmits(req.query.organization_id, organizationId)) {
      return { items: [], pagination: { total_count: 0, max_page: 0 } };
    }
    const customerIds = asList(req.query.customer_id);
    const externalIds = asList(req.query.external_customer_id);
    const meterIds = asList(req.query.meter_id);
    const items = organizationCustomerMeters(ctx, organizationId).filter(
      (v) =>
        (!customerIds || customerIds.includes(v.customer.id)) &&
        (!externalIds || externalIds.includes(v.customer.external_id ?? "")) &&
        (!meterIds || meterIds.includes(v.meter.id)),
    );
    const sorted = sortBy(
      items,
      req.query.sorting,
      {
        created_at: (v) => v.created_at,
        modified_at: (v) => v.modified_at,
        customer_id: (v) => v.customer.id,
        customer_name: (v) => (v.customer.name as string | null | undefined) ?? null,
        meter_id: (v) => v.meter.id,
        meter_name: (v) => v.meter.name,
        consumed_units: (v) => v.consumed_units,
        credited_units: (v) => v.credited_units,
        balance: (v) => v.balance,
      },
      ["-modified_at"],
    );
    const page = paginate(sorted, req.query);
    return { ...page, items: page.items.map((v) => read(ctx, v)) };
  },

  "customer_meters:get": (req, ctx) => {
    const view = customerMeterById(ctx, organizationOf(req.principal), req.path.id ?? "");
    if (!view) throw notFound();
    return read(ctx, view);
  },
};
