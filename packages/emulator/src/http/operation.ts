import type { EmulatorContext } from "../context.js";
import type { Principal } from "./auth.js";

/** One validated request to a Polar operation. */
export interface OperationRequest {
  path: Record<string, string>;
  query: Record<string, unknown>;
  // The body was validated against the operation's schema; handlers read it as such.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  principal: Principal;
  headers: Headers;
  url: URL;
}

/** A reply with an explicit status (otherwise the operation's documented 2xx is used). */
export class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

/** Implements one operation: returns the response body (or a `Reply`, or a raw `Response`). */
export type OperationHandler = (
  request: OperationRequest,
  ctx: EmulatorContext,
) => unknown | Reply | Response | Promise<unknown>;

/** Handlers of a resource, keyed by the OpenAPI `operationId` they implement. */
export type OperationHandlers = Record<string, OperationHandler>;
