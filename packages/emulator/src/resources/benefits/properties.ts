import type { EmulatorContext } from "../../context.js";
import { invalid } from "../../http/errors.js";
import type { BenefitType } from "./store.js";

type Properties = Record<string, unknown>;

/**
 * Turns the `properties` of a create/update body (already validated against the document's
 * `Benefit…CreateProperties` schema) into the stored `Benefit…Properties`, with the checks
 * Polar makes beyond the schema. Integrations the emulator cannot reach (Discord, GitHub,
 * Slack, file storage) are accepted as given.
 */
export function normalizeProperties(
  ctx: EmulatorContext,
  organizationId: string,
  type: BenefitType,
  input: Properties,
  previous: Properties = {},
): Properties {
  const merged = { ...previous, ...input };
  switch (type) {
    case "custom":
      return { note: merged.note ?? null };
    case "discord":
      // Polar decodes the guild from a signed OAuth token; locally the token names the guild.
      return {
        guild_id: String(merged.guild_id ?? merged.guild_token ?? ""),
        guild_token: String(merged.guild_token ?? ""),
        role_id: merged.role_id,
        kick_member: merged.kick_member ?? false,
      };
    case "github_repository":
      return {
        repository_owner: merged.repository_owner,
        repository_name: merged.repository_name,
        permission: merged.permission,
      };
    case "downloadables":
      return { archived: merged.archived ?? {}, files: merged.files ?? [] };
    case "license_keys":
      return {
        prefix: merged.prefix ?? null,
        expires: merged.expires ?? null,
        activations: merged.activations ?? null,
        limit_usage: merged.limit_usage ?? null,
      };
    case "meter_credit": {
      const meter = ctx.store.peek("meters", String(merged.meter_id));
      if (!meter || meter.organization_id !== organizationId) {
        throw invalid(
          ["body", "properties", "meter_id"],
          "This meter does not exist.",
          merged.meter_id,
        );
      }
      return { units: merged.units, rollover: merged.rollover, meter_id: merged.meter_id };
    }
    case "feature_flag":
      return {};
    case "slack_shared_channel":
      return {
        slack_integration_id: merged.slack_integration_id,
        channel_name_template: merged.channel_name_template,
        private: merged.private ?? true,
        welcome_message: merged.welcome_message ?? null,
        archive_on_revoke: merged.archive_on_revoke ?? true,
        team_invitees: merged.team_invitees ?? [],
      };
  }
}

/** A meter_credit benefit's properties (validated when the benefit was written). */
export interface MeterCreditProperties {
  meter_id: string;
  units: number;
  rollover?: boolean;
}

export const meterCreditProperties = (benefit: { properties: unknown }): MeterCreditProperties =>
  benefit.properties as MeterCreditProperties;
