import type { EmulatorContext } from "../../context.js";
import type { RefundRecord } from "./store.js";

export const refundRead = (ctx: EmulatorContext, refund: RefundRecord) =>
  ctx.shaper.shape("Refund", { ...refund, dispute: null });
