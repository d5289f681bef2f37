import type { OpenApiDocument } from "../../openapi/document.js";

interface ScopeSchema {
  enum?: string[];
  enumNames?: Record<string, string>;
}

const scopeSchema = (doc: OpenApiDocument): ScopeSchema =>
  (doc.components?.schemas?.Scope ?? {}) as ScopeSchema;

/** Every scope Polar knows (its `Scope` enum): what an authorization request may ask for. */
export const allScopes = (doc: OpenApiDocument): string[] => scopeSchema(doc).enum ?? [];

/** Polar's SCOPES_SUPPORTED: every scope but the organization-access-token ones. */
export const scopesSupported = (doc: OpenApiDocument): string[] =>
  allScopes(doc).filter((s) => !s.startsWith("organization_access_tokens:"));

/** Human names of the scopes, as the consent screen shows them. */
export const scopeDisplayNames = (doc: OpenApiDocument): Record<string, string> =>
  scopeSchema(doc).enumNames ?? {};

/** Scopes of a space-separated scope string, deduplicated, in order. */
export const scopeList = (scope: string | null | undefined): string[] => [
  ...new Set((scope ?? "").split(/\s+/).filter((s) => s !== "")),
];
