import type { EmulatorContext } from "../../context.js";
import { notFound } from "../../http/errors.js";
import { asList, paginate, sortBy } from "../../http/list.js";
import type { OperationHandlers } from "../../http/operation.js";
import { organizationFilterAdmits, organizationOf } from "../scope.js";
import {
  customerMeterById,
  customerMeterOfPair,
  modifiedAtReader,
  organizationMeterPairs,
  type CustomerMeterPair,
  type CustomerMeterView,
} from "./store.js";

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

/**
 * A pair being listed: what it sorts by is read on demand and kept, so a list sorted by
 * modification (the default) reads one grouped index range per meter and builds full
 * views (balances) only for the page it returns; sorting by a balance computes them all.
 */
class ListedPair {
  private modified: string | null | undefined;
  private full: CustomerMeterView | undefined;

  constructor(
    private readonly ctx: EmulatorContext,
    readonly pair: CustomerMeterPair,
    private readonly modifiedAtOf: (pair: CustomerMeterPair) => string | null,
  ) {}

  get modifiedAt(): string | null {
    if (this.modified === undefined) this.modified = this.modifiedAtOf(this.pair);
    return this.modified;
  }

  get view(): CustomerMeterView {
    return (this.full ??= customerMeterOfPair(this.ctx, this.pair));
  }
}

export const customerMeterHandlers: OperationHandlers = {
  "customer_meters:list": (req, ctx) => {
    const organizationId = organizationOf(req.principal);
    if (!organizationFilterAdmits(req.query.organization_id, organizationId)) {
      return { items: [], pagination: { total_count: 0, max_page: 0 } };
    }
    const customerIds = asList(req.query.customer_id);
    const externalIds = asList(req.query.external_customer_id);
    const meterIds = asList(req.query.meter_id);
    const modifiedAtOf = modifiedAtReader(ctx);
    const items = organizationMeterPairs(ctx, organizationId)
      .filter(
        ({ customer, meter }) =>
          (!customerIds || customerIds.includes(customer.id)) &&
          (!externalIds || externalIds.includes(customer.external_id ?? "")) &&
          (!meterIds || meterIds.includes(meter.id)),
      )
      .map((pair) => new ListedPair(ctx, pair, modifiedAtOf));
    const sorted = sortBy(
      items,
      req.query.sorting,
      {
        created_at: (v) => v.view.created_at,
        modified_at: (v) => v.modifiedAt,
        customer_id: (v) => v.pair.customer.id,
        customer_name: (v) => (v.pair.customer.name as string | null | undefined) ?? null,
        meter_id: (v) => v.pair.meter.id,
        meter_name: (v) => v.pair.meter.name,
        consumed_units: (v) => v.view.consumed_units,
        credited_units: (v) => v.view.credited_units,
        balance: (v) => v.view.balance,
      },
      ["-modified_at"],
    );
    const page = paginate(sorted, req.query);
    return { ...page, items: page.items.map((v) => read(ctx, v.view)) };
  },

  "customer_meters:get": (req, ctx) => {
    const view = customerMeterById(ctx, organizationOf(req.principal), req.path.id ?? "");
    if (!view) throw notFound();
    return read(ctx, view);
  },
};
