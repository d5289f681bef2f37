import type { EmulatorContext } from "../context.js";
import { createOrganization, organizations } from "../resources/organizations/store.js";
import { createOrganizationToken } from "../tokens/tokens.js";

/** What `seed: 'demo'` creates, returned by createEmulator/startEmulator and `--json`. */
export interface DemoSeed {
  organizationId: string;
  organizationSlug: string;
  accessToken: string;
}

const DEMO_SLUG = "polar-mcp-demo";

/**
 * Creates the demo organization and its data, idempotently: run twice (or on a persisted
 * database) it returns what is already there.
 */
export function seedDemo(ctx: EmulatorContext): DemoSeed {
  return ctx.store.transaction(() => {
    const existing = organizations(ctx).findBy("slug", DEMO_SLUG)[0];
    const organization =
      existing ?? createOrganization(ctx, { name: "Polar MCP Demo", slug: DEMO_SLUG });
    const token =
      ctx.tokens.byOrganization(organization.id).find((t) => t.comment === "demo") ??
      createOrganizationToken(ctx, organization.id, { comment: "demo" });
    return {
      organizationId: organization.id,
      organizationSlug: organization.slug,
      accessToken: token.token,
    };
  });
}
