import type { MethodCategory } from "../catalog/classify.js";
import type { CredentialKind } from "../credentials/credential.js";

/** Values of the `methods` filter. */
export const METHOD_CATEGORIES: readonly MethodCategory[] = ["read", "write", "custom"];

/**
 * Which operations a server exposes. Every filter applies both to listing and to calls,
 * in both modes. Order of precedence: `readOnly` (hard) > `excludeTools` > the rest.
 */
export interface ToolFilterOptions {
  /** List every operation whatever the credential can call (default false). */
  all?: boolean;
  /** Only read operations (GET); overrides every other filter (default false). */
  readOnly?: boolean;
  /** Method groups: `read` (get/list), `write` (create/update/delete), `custom` (the rest). */
  methods?: readonly string[];
  /** OpenAPI tags (`-` and `_` are interchangeable: `checkout-links` = `checkout_links`). */
  tags?: readonly string[];
  /** Tool names (or operation ids) to include. */
  tools?: readonly string[];
  /** Tool names (or operation ids) to exclude; wins over `tools`. */
  excludeTools?: readonly string[];
  /** Kind of credential the server holds (default: from the access token's prefix). */
  credential?: CredentialKind;
}
