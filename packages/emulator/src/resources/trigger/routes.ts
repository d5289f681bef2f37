import type { Hono } from "hono";
import { readControlBody } from "../../control/body.js";
import type { EmulatorContext } from "../../context.js";
import { invalid } from "../../http/errors.js";
import { organizations } from "../organizations/store.js";
import { batchStateChanges } from "../webhooks/state-changed.js";
import { readOverrides } from "./inputs.js";
import { SCENARIOS } from "./scenarios.js";

/**
 * `POST /__emulator/trigger { event, overrides?, organization_id? }`: runs the chain of
 * state changes that causes `event` on Polar (like Polar's CLI `trigger`), with its
 * webhooks. The organization defaults to the first one (the demo seed's).
 */
export function registerTriggerRoutes(app: Hono, ctx: EmulatorContext): void {
  app.get("/__emulator/trigger", (c) => c.json({ events: Object.keys(SCENARIOS).sort() }));
  app.post("/__emulator/trigger", async (c) => {
    const body = await readControlBody(c.req.raw);
    const event = String(body.event ?? "");
    const scenario = SCENARIOS[event];
    if (!scenario)
      throw invalid(
        ["body", "event"],
        `Unknown event; one of: ${Object.keys(SCENARIOS).sort().join(", ")}.`,
        body.event ?? null,
      );
    const overrides =
      body.overrides && typeof body.overrides === "object"
        ? (body.overrides as Record<string, unknown>)
        : {};
    const inputs = readOverrides(overrides);
    const organizationId =
      typeof body.organization_id === "string"
        ? body.organization_id
        : organizations(ctx).all()[0]?.id;
    if (!organizationId || !organizations(ctx).get(organizationId))
      throw invalid(
        ["body", "organization_id"],
        "No such organization; seed one first (--seed demo).",
        body.organization_id ?? null,
      );
    const result = batchStateChanges(ctx, () => scenario(ctx, organizationId, inputs));
    return c.json({ event, organization_id: organizationId, ...result });
  });
}
