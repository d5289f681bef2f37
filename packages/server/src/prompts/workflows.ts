import { z } from "zod";
import { DYNAMIC_TOOL_NAMES } from "../modes/dynamic.js";

/** Names of the MCP prompts, one per workflow of seed 001. */
export const PROMPT_NAMES = {
  supportTriage: "support_triage_lost_benefit",
  enterpriseCheckout: "enterprise_checkout",
  usageAudit: "usage_audit",
} as const;

/** How the prompt text names a tool: directly when listed, else through call_operation. */
type ToolRef = (name: string) => string;

/** A prompt's text, as both SDK lines type it. */
export interface WorkflowPromptResult {
  messages: { role: "user"; content: { type: "text"; text: string } }[];
}

/** What a workflow prompt declares: its arguments as a zod shape, and how it renders. */
export interface WorkflowPromptConfig {
  title: string;
  description: string;
  args: Record<string, z.ZodString | z.ZodOptional<z.ZodString>>;
}

/** Registers one prompt on an MCP server of either SDK line (see server.ts and modern/). */
export type PromptRegistrar = (
  name: string,
  config: WorkflowPromptConfig,
  render: (args: Record<string, string | undefined>) => WorkflowPromptResult,
) => void;

/**
 * Registers the three workflow prompts. Their steps name the tools they need: by their own
 * names when listed, else through `call_operation`.
 */
export function registerWorkflowPrompts(
  register: PromptRegistrar,
  listed: ReadonlySet<string>,
): void {
  const tool: ToolRef = (name) =>
    listed.has(name) ? `\`${name}\`` : `\`${DYNAMIC_TOOL_NAMES.call}\` with name "${name}"`;

  register(
    PROMPT_NAMES.supportTriage,
    {
      title: "Support triage: lost benefit",
      description:
        "Find why a customer lost access to a benefit (customer → subscriptions → benefit grants).",
      args: {
        customer_email: z.string().describe("The customer's email address"),
        benefit: z
          .string()
          .optional()
          .describe('The benefit they lost, e.g. "GitHub repository access"'),
      },
    },
    ({ customer_email, benefit }) =>
      user(
        [
          `A customer (${customer_email}) says they lost access to ${benefit ?? "a benefit"}. Investigate with Polar:`,
          `1. Find the customer: ${tool("customers_list")} with email "${customer_email}"; note its id.`,
          `2. Get the whole picture in one call: ${tool("customers_get_state")} with that id (active subscriptions and granted benefits).`,
          `3. Check subscriptions: ${tool("subscriptions_list")} with customer_id; note status, cancel_at_period_end and current_period_end.`,
          `4. Audit grants: ${tool("benefit_grants_list")} with customer_id; find the grant for ${benefit ?? "the benefit"} and whether it is granted or revoked (and when).`,
          "5. Report: should they have access (active plan including the benefit)? Was the grant revoked, and the likely cause? Propose a next step; change nothing without confirmation.",
        ].join("\n"),
      ),
  );

  register(
    PROMPT_NAMES.enterpriseCheckout,
    {
      title: "Enterprise checkout for an external customer id",
      description: "Create a checkout link for a product, tied to the customer's id in your CRM.",
      args: {
        product_id: z.string().describe("Polar product id"),
        external_customer_id: z.string().describe("The customer's id in your system (CRM)"),
        customer_email: z.string().optional().describe("Billing contact email"),
        customer_name: z.string().optional().describe("Company or contact name"),
      },
    },
    ({ product_id, external_customer_id, customer_email, customer_name }) =>
      user(
        [
          `Create a Polar checkout for product ${product_id}, mapped to external customer id "${external_customer_id}".`,
          `1. Confirm the product: ${tool("products_get")} with id "${product_id}" (name, prices, not archived).`,
          `2. See whether the customer exists: ${tool("customers_get_external")} with external_id "${external_customer_id}" (a 404 means Polar creates it at checkout).`,
          `3. Create the checkout: ${tool("checkouts_create")} with products ["${product_id}"] and external_customer_id "${external_customer_id}"${customer_email ? `, customer_email "${customer_email}"` : ""}${customer_name ? `, customer_name "${customer_name}"` : ""}.`,
          "4. Reply with the checkout url, its expiry (expires_at) and the product and price it charges.",
        ].join("\n"),
      ),
  );

  register(
    PROMPT_NAMES.usageAudit,
    {
      title: "Usage audit: validate a license key, then record metered usage",
      description:
        "Validate a license key; if valid, ingest a metered usage event and report the meter balance.",
      args: {
        license_key: z.string().describe("The license key to validate"),
        organization_id: z.string().describe("Polar organization id the key belongs to"),
        event_name: z.string().describe('Event name your meter counts, e.g. "export_credits"'),
        units: z.string().optional().describe("Units to record in the event metadata (default 1)"),
      },
    },
    ({ license_key, organization_id, event_name, units }) =>
      user(
        [
          "Audit this usage request before the job runs.",
          `1. Validate the key: ${tool("license_keys_validate")} with key "${license_key}" and organization_id "${organization_id}". Stop and report if status is not "granted" or the key is expired.`,
          `2. Record usage: ${tool("events_ingest")} with events [{"name": "${event_name}", "customer_id": <the key's customer_id>, "metadata": {"units": ${Number(units ?? 1) || 1}}}].`,
          `3. Check the balance: ${tool("customer_meters_list")} with customer_id; report consumed units, credited units and balance.`,
          "4. Say whether the job is clear to run.",
        ].join("\n"),
      ),
  );
}

function user(text: string): WorkflowPromptResult {
  return { messages: [{ role: "user", content: { type: "text", text } }] };
}
