/** The seven result codes of `validateLicenseKey`, as in `@xmcp-dev/polar`. */
export const VALIDATION_CODES = [
  "license_key_valid",
  "license_key_missing",
  "license_key_not_granted",
  "license_key_usage_limit_reached",
  "license_key_expired",
  "meter_credit_exhausted",
  "license_key_error",
] as const;

export type ValidationCode = (typeof VALIDATION_CODES)[number];

/**
 * What `validateLicenseKey` resolves to: the seed's `{ valid, code, message }`, plus the
 * checkout URL and customer on their own so callers need not parse the message.
 */
export interface ValidateLicenseKeyResult {
  valid: boolean;
  code: ValidationCode;
  /** Says what happened and what to do next; carries the checkout URL where one applies. */
  message: string;
  /** Where the customer can pay (bound to the customer when the key was known). */
  checkoutUrl?: string;
  /** The Polar customer the key belongs to, when it was found. */
  customerId?: string;
  /** Meter credits left after this call, when the product sells credits. */
  balance?: number;
}

/** The event recorded for a paid call (seed: `{ name, metadata }`). */
export interface UsageEvent {
  name: string;
  metadata?: Record<string, string | number | boolean>;
}

const withLink = (text: string, url: string | undefined, action: string): string =>
  url ? `${text} ${action}: ${url}` : text;

/** The message of each denial: what happened, and what to do next. */
export const messages = {
  valid: () => "License key is valid.",
  missing: (header: string, url?: string) =>
    withLink(`A license key is required: send it in the \`${header}\` header.`, url, "Buy one at"),
  notGranted: (url?: string) =>
    withLink(
      "This license key is not valid for this product (unknown, revoked or for another product).",
      url,
      "Buy a license at",
    ),
  usageLimit: (usage: number, limit: number, url?: string) =>
    withLink(
      `This license key has used all of its ${limit} allowed calls (${usage} used).`,
      url,
      "Buy more at",
    ),
  expired: (expiresAt: string | null | undefined, url?: string) =>
    withLink(
      `This license key expired${expiresAt ? ` on ${expiresAt.slice(0, 10)}` : ""}.`,
      url,
      "Renew it at",
    ),
  noCredits: (cost: number, balance: number, url?: string) =>
    withLink(
      cost <= 0
        ? `No credits left (the balance is ${balance}): paid calls are served only while credits remain.`
        : balance <= 0
          ? `No credits left for this call (it costs ${cost}, the balance is ${balance}).`
          : `Not enough credits for this call: it costs ${cost}, the balance is ${balance}.`,
      url,
      "Buy more credits at",
    ),
  noCreditBenefit: (url?: string) =>
    withLink("This license key has no credits for this product yet.", url, "Buy credits at"),
  noLink: () =>
    "A payment link could not be created just now (Polar is busy or unreachable); ask again in a minute for one.",
  unavailable: (reason: string) =>
    `License validation is unavailable right now (${reason}); the call was not charged. Try again shortly.`,
  noSession: () =>
    "This server caps what one MCP session may spend (sessionSpendCap), but this request belongs to no session (stateless HTTP), so the cap cannot be enforced and the call was refused, not charged. Connect over a transport with sessions (Mcp-Session-Id, or stdio).",
  notRecorded: () =>
    "The call could not be recorded for billing, so it was not run and not charged. Try again shortly.",
};
