import { Hono, type Context } from "hono";
import type { EmulatorContext } from "../context.js";
import { listOperations, type OperationSpec } from "../openapi/document.js";
import { RequestValidator } from "../openapi/validator.js";
import { authenticate, securityOf } from "./auth.js";
import { readJsonBody } from "./body.js";
import { HttpError } from "./errors.js";
import { Reply, type OperationHandlers } from "./operation.js";
import { routingOrder, successStatus, toHonoPath } from "./routing.js";

/** API versions the emulator answers (`Polar-Version` header); others get 404 as Polar does. */
export const SUPPORTED_VERSIONS = ["2026-04", "2026-10"] as const;

export interface HttpApp {
  app: Hono;
  /** operationIds with a handler; every other operation of the document answers 501. */
  implemented: ReadonlySet<string>;
  operations: readonly OperationSpec[];
}

function render(
  c: Context,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  if (status === 204 || body === undefined) return c.body(null, status as 204);
  return c.json(body as object, status as 200);
}

/**
 * Builds the emulator's HTTP app: every operation of Polar's document routed, authenticated
 * and validated from the document itself, implemented by `handlers` or answering 501.
 */
export function createHttpApp(
  ctx: EmulatorContext,
  handlers: OperationHandlers,
  extend?: (app: Hono) => void,
): HttpApp {
  const app = new Hono({ strict: false });
  const validator = new RequestValidator(ctx.document);
  const operations = listOperations(ctx.document);
  const implemented = new Set(
    operations.filter((op) => handlers[op.operationId]).map((op) => op.operationId),
  );

  app.onError((error, c) => {
    if (error instanceof HttpError) return render(c, error.status, error.body(), error.headers);
    return render(c, 500, {
      error: "InternalServerError",
      detail:
        "The emulator failed on this request; please report it with the request that caused it.",
    });
  });
  app.notFound((c) => c.json({ detail: "Not Found" }, 404));

  app.use("*", async (c, next) => {
    const version = c.req.header("polar-version");
    if (version !== undefined) {
      if (!(SUPPORTED_VERSIONS as readonly string[]).includes(version))
        return c.json({ detail: "Not Found" }, 404);
      c.header("Polar-Version", version);
    }
    await next();
  });

  app.get("/openapi.json", (c) => c.json(ctx.document));
  extend?.(app);

  for (const op of [...operations].sort(routingOrder)) {
    const handler = handlers[op.operationId];
    const security = securityOf(op);
    const status = successStatus(op);
    app.on(op.method.toUpperCase(), toHonoPath(op.path), async (c) => {
      if (!handler) {
        throw new HttpError(
          501,
          "NotImplemented",
          `${op.operationId} is not implemented by the emulator yet`,
        );
      }
      const principal = authenticate(
        security,
        c.req.header("authorization"),
        ctx.tokens,
        ctx.clock.now(),
      );
      const { body, hasBody } =
        op.method === "get" || op.method === "delete"
          ? { body: undefined, hasBody: false }
          : await readJsonBody(c.req.raw);
      const input = validator.validate(op, {
        path: c.req.param() as Record<string, string>,
        query: c.req.queries(),
        body,
        hasBody,
      });
      const result = await handler(
        { ...input, principal, headers: c.req.raw.headers, url: new URL(c.req.url) },
        ctx,
      );
      if (result instanceof Response) return result;
      if (result instanceof Reply) return render(c, result.status, result.body, result.headers);
      return render(c, status, status === 204 ? undefined : result);
    });
  }
  return { app, implemented, operations };
}
