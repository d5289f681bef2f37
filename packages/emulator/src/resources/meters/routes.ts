import type { EmulatorContext } from "../../context.js";
import { notFound, validationError } from "../../http/errors.js";
import { asList, paginate, sortBy } from "../../http/list.js";
import type { OperationHandlers, OperationRequest } from "../../http/operation.js";
import { iso, newId } from "../../ids.js";
import { benefits } from "../benefits/store.js";
import { organizationForCreate, organizationFilterAdmits, organizationOf } from "../scope.js";
import type { AggregationFunction } from "./aggregation.js";
import { backfillMeter, meterHasUsage, unlinkMeterUsage } from "./matching.js";
import { meterQuantities } from "./quantities.js";
import { findMeter, invalidateActiveMeters, meters, type MeterRecord } from "./store.js";
import type { TimeInterval } from "./timezone.js";

const read = (ctx: EmulatorContext, record: MeterRecord) => ctx.shaper.shape("Meter", record);

function visible(req: OperationRequest, ctx: EmulatorContext): MeterRecord {
  const meter = findMeter(ctx, organizationOf(req.principal), req.path.id ?? "");
  if (!meter) throw notFound();
  return meter;
}

/** Whether a live meter_credit benefit still credits this meter (Polar then refuses to archive). */
function creditedByBenefit(ctx: EmulatorContext, meter: MeterRecord): boolean {
  return benefits(ctx)
    .byOrganization(meter.organization_id)
    .some((b) => b.type === "meter_credit" && b.properties.meter_id === meter.id && !b.is_deleted);
}

function metadataMatches(record: MeterRecord, url: URL): boolean {
  for (const name of new Set(url.searchParams.keys())) {
    const key = /^metadata\[(.+)\]$/.exec(name)?.[1];
    if (key === undefined) continue;
    if (!url.searchParams.getAll(name).includes(String(record.metadata[key]))) return false;
  }
  return true;
}

/**
 * Polar's `aggregation` is a union discriminated by `func`: pydantic refuses a body without
 * the tag (`union_tag_not_found`) before any branch default applies, so `{}` never becomes a
 * meter that every ingestion would then fail on.
 */
function assertAggregationTagged(aggregation: unknown): void {
  if (aggregation === undefined || aggregation === null) return;
  if (typeof aggregation === "object" && "func" in aggregation) return;
  throw validationError([
    {
      type: "union_tag_not_found",
      loc: ["body", "aggregation"],
      msg: "Unable to extract tag using discriminator 'func'",
      input: aggregation,
    },
  ]);
}

export const meterHandlers: OperationHandlers = {
  "meters:create": (req, ctx) => {
    const organizationId = organizationForCreate(req.principal, req.body);
    const body = req.body as Record<string, unknown>;
    assertAggregationTagged(body.aggregation);
    const now = iso(ctx.clock.now());
    const record: MeterRecord = {
      id: newId(),
      organization_id: organizationId,
      created_at: now,
      modified_at: null,
      name: body.name as string,
      unit: (body.unit as MeterRecord["unit"] | undefined) ?? "scalar",
      custom_label: (body.custom_label as string | null | undefined) ?? null,
      custom_multiplier: (body.custom_multiplier as number | null | undefined) ?? null,
      filter: body.filter as MeterRecord["filter"],
      aggregation: body.aggregation as MeterRecord["aggregation"],
      metadata: (body.metadata as MeterRecord["metadata"] | undefined) ?? {},
      archived_at: null,
    };
    return ctx.store.transaction(() => {
      meters(ctx).insert(record);
      backfillMeter(ctx, record);
      invalidateActiveMeters(ctx);
      return read(ctx, record);
    });
  },

  "meters:get": (req, ctx) => read(ctx, visible(req, ctx)),

  "meters:list": (req, ctx) => {
    const organizationId = organizationOf(req.principal);
    if (!organizationFilterAdmits(req.query.organization_id, organizationId)) {
      return { items: [], pagination: { total_count: 0, max_page: 0 } };
    }
    const search = typeof req.query.query === "string" ? req.query.query.toLowerCase() : null;
    // Read from the URL: the core's query coercion turns "false" into null for a nullable boolean.
    const rawArchived = req.url.searchParams.get("is_archived");
    const archived = rawArchived === null ? null : rawArchived === "true";
    const items = meters(ctx)
      .byOrganization(organizationId)
      .filter((m) => search === null || m.name.toLowerCase().includes(search))
      .filter((m) => archived == null || (m.archived_at !== null) === archived)
      .filter((m) => metadataMatches(m, req.url));
    const sorted = sortBy(
      items,
      req.query.sorting,
      {
        name: (m) => m.name,
        created_at: (m) => m.created_at,
      },
      ["name"],
    );
    const page = paginate(sorted, req.query);
    return { ...page, items: page.items.map((m) => read(ctx, m)) };
  },

  "meters:update": (req, ctx) => {
    const meter = visible(req, ctx);
    const body = req.body as Record<string, unknown>;
    assertAggregationTagged(body.aggregation);
    const sensitive = (["filter", "aggregation"] as const).filter(
      (field) => body[field] !== undefined && body[field] !== null,
    );
    if (sensitive.length > 0 && meterHasUsage(ctx, meter.id)) {
      throw validationError(
        sensitive.map((field) => ({
          type: "forbidden",
          loc: ["body", field],
          msg: "This field can't be updated because the meter is already aggregating events.",
          input: body[field],
        })),
      );
    }
    const updated: MeterRecord = { ...meter };
    for (const field of [
      "name",
      "unit",
      "custom_label",
      "custom_multiplier",
      "metadata",
    ] as const) {
      if (field in body && (body[field] !== null || field.startsWith("custom_"))) {
        (updated as Record<string, unknown>)[field] = body[field];
      }
    }
    if (body.filter) updated.filter = body.filter as MeterRecord["filter"];
    if (body.aggregation) updated.aggregation = body.aggregation as MeterRecord["aggregation"];
    if (body.is_archived === true && meter.archived_at === null) {
      if (creditedByBenefit(ctx, meter)) {
        throw validationError([
          {
            type: "value_error",
            loc: ["body", "is_archived"],
            msg: "Cannot archive meter that is still referenced by active benefits",
            input: true,
          },
        ]);
      }
      updated.archived_at = iso(ctx.clock.now());
    }
    if (body.is_archived === false) updated.archived_at = null;
    updated.modified_at = iso(ctx.clock.now());
    return ctx.store.transaction(() => {
      meters(ctx).put(updated);
      if (sensitive.length > 0) unlinkMeterUsage(ctx, meter.id);
      // Re-matching catches events ingested while the meter was archived or differently defined.
      if (updated.archived_at === null) backfillMeter(ctx, updated);
      invalidateActiveMeters(ctx);
      return read(ctx, updated);
    });
  },

  "meters:quantities": (req, ctx) => {
    const meter = visible(req, ctx);
    return meterQuantities(ctx, meter, {
      start: req.query.start_timestamp as string,
      end: req.query.end_timestamp as string,
      interval: req.query.interval as TimeInterval,
      timeZone: (req.query.timezone as string | undefined) ?? "UTC",
      customerIds: asList(req.query.customer_id),
      externalCustomerIds: asList(req.query.external_customer_id),
      customerAggregation: (req.query.customer_aggregation_function ?? undefined) as
        AggregationFunction | undefined,
      url: req.url,
    });
  },
};
