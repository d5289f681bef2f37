import type { EmulatorContext } from "../../context.js";
import { paginate, sortBy } from "../../http/list.js";
import type { OperationHandlers, OperationRequest } from "../../http/operation.js";
import { iso } from "../../ids.js";
import { benefitGrants, type BenefitGrantRecord } from "../benefit-grants/store.js";
import { benefits } from "../benefits/store.js";
import { customers } from "../customers/store.js";
import { licenseKeyRead, licenseKeyWithActivations } from "../license-keys/read.js";
import { licenseKeys } from "../license-keys/store.js";
import { organizations } from "../organizations/store.js";
import { owned, portalCustomer } from "./scope.js";

/** The document's per-type portal grant schemas. */
const SCHEMAS: Record<string, string> = {
  custom: "Custom",
  discord: "Discord",
  github_repository: "GitHubRepository",
  downloadables: "Downloadables",
  license_keys: "LicenseKeys",
  meter_credit: "MeterCredit",
  feature_flag: "FeatureFlag",
  slack_shared_channel: "SlackSharedChannel",
};

function grantRead(ctx: EmulatorContext, grant: BenefitGrantRecord) {
  const benefit = benefits(ctx).get(grant.benefit_id);
  const customer = customers(ctx).get(grant.customer_id);
  const shaped = ctx.shaper.shape(
    `CustomerBenefitGrant${SCHEMAS[benefit?.type ?? "custom"] ?? "Custom"}`,
    {
      ...grant,
      customer: customer
        ? { ...customer, oauth_accounts: {}, tax_id: customer.tax_id ?? null }
        : undefined,
      benefit: benefit && {
        ...benefit,
        organization: organizations(ctx).get(benefit.organization_id),
      },
    },
  );
  return { ...shaped, properties: grant.properties };
}

const mineGrant = (req: OperationRequest, ctx: EmulatorContext) =>
  owned(benefitGrants(ctx).get(req.path.id ?? ""), portalCustomer(ctx, req.principal));

/** The customer's grants and license keys. */
export const portalBenefitHandlers: OperationHandlers = {
  "customer_portal:benefit-grants:list": (req, ctx) => {
    const customer = portalCustomer(ctx, req.principal);
    const q = typeof req.query.query === "string" ? req.query.query.toLowerCase() : undefined;
    const filters: [string, (g: BenefitGrantRecord) => unknown][] = [
      ["benefit_id", (g) => g.benefit_id],
      ["order_id", (g) => g.order_id],
      ["subscription_id", (g) => g.subscription_id],
      ["type", (g) => benefits(ctx).get(g.benefit_id)?.type],
    ];
    const items = benefitGrants(ctx)
      .findBy("customer_id", customer.id)
      .filter((g) => g.is_granted)
      .filter((g) =>
        filters.every(([name, read]) => {
          const wanted = req.query[name];
          if (wanted === undefined || wanted === null) return true;
          return [wanted]
            .flat()
            .map(String)
            .includes(String(read(g)));
        }),
      )
      .filter(
        (g) => !q || (benefits(ctx).get(g.benefit_id)?.description ?? "").toLowerCase().includes(q),
      );
    const sorted = sortBy(
      items,
      req.query.sorting,
      {
        granted_at: (g) => g.granted_at,
        type: (g) => benefits(ctx).get(g.benefit_id)?.type,
        organization: (g) => g.organization_id,
        product_benefit: (g) => g.benefit_id,
      },
      ["product_benefit", "-granted_at"],
    );
    const page = paginate(sorted, req.query);
    return { ...page, items: page.items.map((g) => grantRead(ctx, g)) };
  },
  "customer_portal:benefit-grants:get": (req, ctx) => grantRead(ctx, mineGrant(req, ctx)),
  /** Connected accounts (Discord, GitHub) are kept as given; other types have nothing to set. */
  "customer_portal:benefit-grants:update": (req, ctx) => {
    const grant = mineGrant(req, ctx);
    const properties = (req.body as { properties?: Record<string, unknown> }).properties ?? {};
    const saved = benefitGrants(ctx).put({
      ...grant,
      properties: { ...grant.properties, ...properties },
      modified_at: iso(ctx.clock.now()),
    });
    return grantRead(ctx, saved);
  },
  "customer_portal:license_keys:list": (req, ctx) => {
    const customer = portalCustomer(ctx, req.principal);
    const benefitId = typeof req.query.benefit_id === "string" ? req.query.benefit_id : undefined;
    const items = licenseKeys(ctx)
      .findBy("customer_id", customer.id)
      .filter((k) => !benefitId || k.benefit_id === benefitId);
    const page = paginate(items, req.query);
    return { ...page, items: page.items.map((k) => licenseKeyRead(ctx, k)) };
  },
  "customer_portal:license_keys:get": (req, ctx) => {
    const key = owned(licenseKeys(ctx).get(req.path.id ?? ""), portalCustomer(ctx, req.principal));
    return licenseKeyWithActivations(ctx, key);
  },
};
