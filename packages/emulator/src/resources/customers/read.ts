import type { EmulatorContext } from "../../context.js";
import { firstUserEventAt } from "../events/first-event.js";
import type { CustomerRecord } from "./store.js";

/** A customer as Polar's `Customer` schema (individual or team, by `type`). */
export const customerRead = (ctx: EmulatorContext, record: CustomerRecord) =>
  ctx.shaper.shape("Customer", {
    ...record,
    first_user_event_at: firstUserEventAt(ctx, record),
  });
