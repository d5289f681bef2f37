import { GatewayHttpError } from "../errors.js";

/** Seconds a client is told to wait when the database cannot answer. */
export const DATABASE_RETRY_AFTER_SECONDS = 1;

/**
 * The registry cannot answer now: locked longer than the gateway waits, removed, or
 * unreachable. A 503 with `Retry-After`; the message names no path or address.
 */
export class DatabaseUnavailableError extends GatewayHttpError {
  override readonly name: string = "DatabaseUnavailableError";
  constructor(code: string, message: string, retryAfterSeconds = DATABASE_RETRY_AFTER_SECONDS) {
    super(503, code, message, { "Retry-After": String(retryAfterSeconds) });
  }

  static locked(): DatabaseUnavailableError {
    return new DatabaseUnavailableError(
      "database_busy",
      "The gateway's database is locked by another process; retry after the seconds in Retry-After.",
    );
  }

  static removed(): DatabaseUnavailableError {
    return new DatabaseUnavailableError(
      "database_unavailable",
      "The gateway's database file was removed or replaced while the gateway ran; the operator must restore it and restart the gateway. Retry later.",
      30,
    );
  }

  static unreachable(): DatabaseUnavailableError {
    return new DatabaseUnavailableError(
      "database_unavailable",
      "The gateway cannot reach its database right now; retry after the seconds in Retry-After.",
    );
  }
}
