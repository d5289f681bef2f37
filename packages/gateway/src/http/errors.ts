import { ServerError } from "@polar-mcp/server";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { GatewayError, GatewayHttpError } from "../errors.js";
import { noteFailure } from "../observability/failures.js";

/**
 * The one error renderer of the admin API: `{ "error": code, "detail": message }` with the
 * error's status. Unknown failures become a 500 whose message holds nothing internal.
 */
export function renderError(error: Error, c: Context): Response {
  if (!(error instanceof GatewayHttpError) || error.status >= 500) noteFailure(c.req.raw, error);
  if (error instanceof GatewayHttpError) {
    return c.json({ error: error.code, detail: error.message }, error.status as 400, error.headers);
  }
  if (error instanceof ServerError)
    return c.json({ error: error.code, detail: error.message }, 422);
  if (error instanceof GatewayError)
    return c.json({ error: error.code, detail: error.message }, 500);
  if (error instanceof HTTPException) return error.getResponse();
  return c.json(
    {
      error: "internal_error",
      detail: "The gateway failed on this request; retry, and check its logs if it persists.",
    },
    500,
  );
}
