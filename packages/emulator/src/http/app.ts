import { Hono, type Context } from "hono";
import type { EmulatorContext } from "../context.js";
import { listOperations, type OperationSpec } from "../openapi/document.js";
import { RequestValidator } from "../openapi/validator.js";
import { authenticate, securityOf, TokenCache, type SecurityRequirement } from "./auth.js";
import { readFormBody, readJsonBody } from "./body.js";
import { clientOf } from "./client.js";
import { internalErrorEntry, stderrErrorLog, type ErrorLogSink } from "./error-log.js";
import { HttpError } from "./errors.js";
import { upgradeLegacyBody } from "./legacy-requests.js";
import { Reply, type OperationHandler, type OperationHandlers } from "./operation.js";
import { PORTAL_LICENSE_KEYS, RateLimiter } from "./rate-limit.js";
import { OperationRouter } from "./router.js";
import { successStatus } from "./routing.js";

/** API versions the emulator answers (`Polar-Version` header); others get 404 as Polar does. */
export const SUPPORTED_VERSIONS = ["2026-04", "2026-10"] as const;

/** Operations Polar rate limits per client (3/s, then 60 s blocked). */
const RATE_LIMITED = new Set([
  "customer_portal:license_keys:validate",
  "customer_portal:license_keys:activate",
  "customer_portal:license_keys:deactivate",
]);

export interface HttpAppOptions {
  /** Polar's per-client limit on the customer-portal license-key endpoints (default on). */
  portalRateLimit?: boolean;
  /** Where each 500's structured line goes (default: one JSON line on stderr). */
  errorLog?: ErrorLogSink;
}

export interface HttpApp {
  app: Hono;
  /** operationIds with a handler; every other operation of the document answers 501. */
  implemented: ReadonlySet<string>;
  operations: readonly OperationSpec[];
}

/** What a request to one operation needs, worked out on its first call. */
interface Route {
  op: OperationSpec;
  handler: OperationHandler | undefined;
  security: SecurityRequirement;
  status: number;
  limiter: RateLimiter | undefined;
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
 * Operations are served by one catch-all route over a prebuilt method + path index, so
 * start-up registers a handful of Hono routes instead of 186.
 */
export function createHttpApp(
  ctx: EmulatorContext,
  handlers: OperationHandlers,
  extend?: (app: Hono) => void,
  options: HttpAppOptions = {},
): HttpApp {
  const app = new Hono({ strict: false });
  const validator = new RequestValidator(ctx.document);
  const operations = listOperations(ctx.document);
  const implemented = new Set(
    operations.filter((op) => handlers[op.operationId]).map((op) => op.operationId),
  );
  const tokens = new TokenCache(ctx.tokens);
  // One limiter for the three endpoints: Polar's rule matches their common path.
  const limiter =
    options.portalRateLimit === false
      ? undefined
      : new RateLimiter(PORTAL_LICENSE_KEYS, () => ctx.clock.now().getTime());
  let router: OperationRouter | undefined;
  const routes = new Map<OperationSpec, Route>();
  const routeOf = (op: OperationSpec): Route => {
    let route = routes.get(op);
    if (!route) {
      route = {
        op,
        handler: handlers[op.operationId],
        security: securityOf(op),
        status: successStatus(op),
        limiter: RATE_LIMITED.has(op.operationId) ? limiter : undefined,
      };
      routes.set(op, route);
    }
    return route;
  };

  app.onError((error, c) => {
    if (error instanceof HttpError) return render(c, error.status, error.body(), error.headers);
    const entry = internalErrorEntry(c.req.raw, error);
    (options.errorLog ?? stderrErrorLog)(entry);
    return render(
      c,
      500,
      {
        error: "InternalServerError",
        detail: `The emulator failed on this request; please report it with the request that caused it (request id ${entry.request_id}).`,
      },
      { "X-Request-Id": entry.request_id },
    );
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

  app.all("*", async (c) => {
    // Hono answers HEAD with its GET route; so does the index.
    const method = c.req.method === "HEAD" ? "GET" : c.req.method;
    const match = (router ??= new OperationRouter(operations)).match(method, c.req.path);
    if (!match) return c.notFound();
    const { op, handler, security, status, limiter } = routeOf(match.operation);
    if (limiter) {
      const wait = limiter.hit(clientOf(c));
      // Polar's 429: empty body, Retry-After, no X-RateLimit-* headers.
      if (wait > 0) return c.body(null, 429, { "Retry-After": String(wait) });
    }
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
      tokens,
      ctx.clock.now(),
    );
    // OAuth2's token, revoke and introspect take forms, read as Polar (authlib) reads them.
    const { body, hasBody } =
      op.method === "get" || op.method === "delete"
        ? { body: undefined, hasBody: false }
        : op.operation.requestBody?.content?.["application/x-www-form-urlencoded"]
          ? await readFormBody(c.req.raw)
          : await readJsonBody(c.req.raw);
    const input = validator.validate(op, {
      path: match.params,
      query: c.req.queries(),
      body: upgradeLegacyBody(ctx, op.operationId, body),
      hasBody,
    });
    let url: URL | undefined;
    const result = await handler(
      {
        ...input,
        principal,
        // Built on demand: most handlers read neither, and each costs a parse per request.
        get headers() {
          return c.req.raw.headers;
        },
        get url() {
          return (url ??= new URL(c.req.url));
        },
      },
      ctx,
    );
    if (result instanceof Response) return result;
    if (result instanceof Reply) return render(c, result.status, result.body, result.headers);
    return render(c, status, status === 204 ? undefined : result);
  });
  return { app, implemented, operations };
}
