import type { CatalogTool, ToolCatalog } from "../catalog/catalog.js";
import type { CredentialKind } from "../credentials/credential.js";
import { ServerError } from "../errors.js";

/**
 * The toolset listed when none is chosen: the seed's hero operations (customers,
 * subscriptions, benefit grants, checkouts, license-key validation, events ingest, benefits
 * create) and the reads that lead to them. With the three meta-tools that reach every other
 * operation it stays within 40 tools, the smallest limit of a mainstream client (Cursor).
 */
export const DEFAULT_TOOLSET: readonly string[] = [
  "customers_list",
  "customers_get",
  "customers_get_external",
  "customers_get_state",
  "customers_create",
  "customers_update",
  "customers_delete",
  "subscriptions_list",
  "subscriptions_get",
  "subscriptions_update",
  "subscriptions_revoke",
  "benefit_grants_list",
  "benefits_grants",
  "benefits_list",
  "benefits_get",
  "benefits_create",
  "checkouts_create",
  "checkouts_get",
  "checkouts_list",
  "checkout_links_create",
  "checkout_links_list",
  "license_keys_validate",
  "license_keys_list",
  "license_keys_get",
  "license_keys_activate",
  "license_keys_deactivate",
  "events_ingest",
  "events_list",
  "meters_list",
  "customer_meters_list",
  "products_list",
  "products_get",
  "orders_list",
  "orders_get",
];

/** The default toolset of a customer or member session token: the portal's own hero operations. */
export const DEFAULT_PORTAL_TOOLSET: readonly string[] = [
  "customer_portal_customers_get",
  "customer_portal_subscriptions_list",
  "customer_portal_subscriptions_get",
  "customer_portal_subscriptions_update",
  "customer_portal_subscriptions_cancel",
  "customer_portal_benefit_grants_list",
  "customer_portal_license_keys_list",
  "customer_portal_license_keys_validate",
  "customer_portal_orders_list",
  "customer_portal_customer_meters_list",
];

function defaultToolsetFor(credential: CredentialKind): readonly string[] {
  return credential === "customer_session" || credential === "member_session"
    ? DEFAULT_PORTAL_TOOLSET
    : DEFAULT_TOOLSET;
}

/** Names with a meaning of their own in `toolsets`: the default set, and every operation. */
export const TOOLSET_DEFAULT = "default";
export const TOOLSET_ALL = "all";

/** The toolset names a catalogue offers: `default`, `all`, and one per OpenAPI tag. */
export function toolsetNames(catalog: ToolCatalog): string[] {
  const tags = catalog.tags.filter((tag) => tag !== "public").map(normaliseToolset);
  return [TOOLSET_DEFAULT, TOOLSET_ALL, ...new Set(tags)];
}

/**
 * Which of the allowed tools a server lists directly, for the toolsets chosen: `default`
 * (the hero set above), `all`, or resource groups (OpenAPI tags; `checkout-links` =
 * `checkout_links`). Throws `ServerError` (`invalid_filter`) for an unknown toolset.
 *
 * @example
 * selectToolsets(view.tools, catalog, ["default", "webhooks"]); // the hero set plus webhooks_*
 */
export function selectToolsets(
  allowed: readonly CatalogTool[],
  catalog: ToolCatalog,
  toolsets: readonly string[],
  credential: CredentialKind = "organization",
): CatalogTool[] {
  const known = new Set(toolsetNames(catalog));
  const chosen = new Set(toolsets.map(normaliseToolset));
  for (const name of chosen) {
    if (!known.has(name)) {
      throw new ServerError(
        "invalid_filter",
        `Unknown toolset "${name}" in toolsets; known toolsets: ${[...known].join(", ")}.`,
      );
    }
  }
  if (chosen.has(TOOLSET_ALL)) return [...allowed];
  const hero = chosen.has(TOOLSET_DEFAULT)
    ? new Set(defaultToolsetFor(credential))
    : new Set<string>();
  return allowed.filter(
    (tool) => hero.has(tool.name) || tool.tags.some((tag) => chosen.has(normaliseToolset(tag))),
  );
}

function normaliseToolset(name: string): string {
  return name.trim().toLowerCase().replace(/-/g, "_");
}
