import { randomBytes, randomUUID } from "node:crypto";

/** A UUID4, as every Polar id. */
export const newId = (): string => randomUUID();

const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
export const isUuid4 = (value: string): boolean => UUID4.test(value);

/** A random URL-safe secret with a Polar-style prefix, e.g. `polar_oat_…`. */
export const newSecret = (prefix: string, bytes = 32): string =>
  `${prefix}${randomBytes(bytes).toString("base64url")}`;

/** ISO 8601 in UTC, as Polar writes timestamps. */
export const iso = (date: Date): string => date.toISOString();
