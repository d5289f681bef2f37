import { notFound } from "../../http/errors.js";
import type { OperationHandlers } from "../../http/operation.js";
import { organizationOf } from "../scope.js";
import { ingestEvents, type EventCreate } from "./ingest.js";
import { listEvents, pageLimit } from "./list.js";
import { listEventNames } from "./names.js";
import { createEventReader, findEvent } from "./read.js";

export const eventHandlers: OperationHandlers = {
  "events:ingest": (req, ctx) =>
    ingestEvents(ctx, req.principal, (req.body as { events: EventCreate[] }).events),

  "events:list": (req, ctx) => {
    const organizationId = organizationOf(req.principal);
    const { rows, total } = listEvents(ctx, organizationId, req.query, req.url);
    const read = createEventReader(ctx);
    return {
      items: rows.map(read),
      pagination: { total_count: total, max_page: Math.ceil(total / pageLimit(req.query)) },
    };
  },

  "events:list_names": listEventNames,

  "events:get": (req, ctx) => {
    const row = findEvent(ctx, organizationOf(req.principal), req.path.id ?? "");
    if (!row) throw notFound();
    return createEventReader(ctx)(row);
  },
};
