import type { Context } from "hono";
import { GatewayHttpError } from "../errors.js";

/** The JSON object body of an admin request; anything else is a 400 that says so. */
export async function readObject(c: Context): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new GatewayHttpError(
      400,
      "invalid_body",
      "The body must be a JSON object (Content-Type: application/json).",
    );
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new GatewayHttpError(400, "invalid_body", "The body must be a JSON object.");
  }
  return body as Record<string, unknown>;
}

/** A required non-empty string field (at most `max` characters). */
export function requiredString(body: Record<string, unknown>, field: string, max = 200): string {
  const value = body[field];
  if (typeof value !== "string" || value.trim() === "") {
    throw new GatewayHttpError(422, "invalid_field", `${field} is required (a non-empty string).`);
  }
  if (value.length > max)
    throw new GatewayHttpError(422, "invalid_field", `${field} is longer than ${max} characters.`);
  return value;
}

/** An optional boolean field. */
export function optionalBoolean(body: Record<string, unknown>, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== "boolean")
    throw new GatewayHttpError(422, "invalid_field", `${field} must be true or false.`);
  return value;
}

/**
 * `expires_at`: null/absent for never, else an ISO 8601 date-time with a time zone that is
 * in the future.
 */
export function expiresAt(body: Record<string, unknown>, now: number): string | null | undefined {
  const value = body.expires_at;
  if (value === undefined) return undefined;
  if (value === null) return null;
  const ms =
    typeof value === "string" && /(Z|[+-]\d\d:?\d\d)$/i.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) {
    throw new GatewayHttpError(
      422,
      "invalid_field",
      "expires_at must be an ISO 8601 date-time with a time zone (e.g. 2026-12-31T23:59:59Z) or null.",
    );
  }
  if (ms <= now)
    throw new GatewayHttpError(
      422,
      "invalid_field",
      "expires_at is in the past; give a future time or null.",
    );
  return new Date(ms).toISOString();
}

/** A path parameter that names no record (the id is not echoed: it is caller input). */
export function notFound(kind: string, hint: string): GatewayHttpError {
  return new GatewayHttpError(
    404,
    `${kind}_not_found`,
    `No ${kind.replace(/_/g, " ")} with that id; ${hint}`,
  );
}
