import { randomUUID } from "node:crypto";
import type { Hono } from "hono";
import type { GatewayContext } from "../context.js";
import { failureOf } from "../observability/failures.js";
import { loggableError, loggablePath } from "../observability/logger.js";
import { surfaceOf } from "../observability/metrics.js";

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Every request gets an id (the caller's `X-Request-Id` when it is a plain token, else a
 * UUID), echoed in the response; counts in the request metric; and, when it ends in a 5xx,
 * exactly one `error` log line with the id, route (secret removed), status, duration and
 * what failed. Other requests log at `debug`.
 */
export function registerObservation(app: Hono, ctx: GatewayContext): void {
  app.use("*", async (c, next) => {
    const started = performance.now();
    const incoming = c.req.header("x-request-id");
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    await next();
    const status = c.res.status;
    try {
      c.res.headers.set("x-request-id", requestId);
    } catch {
      // An immutable response (none the gateway builds today) keeps its headers.
    }
    const path = new URL(c.req.url).pathname;
    ctx.metrics.request(surfaceOf(path), status);
    if (status >= 500 || ctx.log.isLevelEnabled("debug")) {
      const line = {
        req_id: requestId,
        method: c.req.method,
        path: loggablePath(path),
        status,
        ms: Math.round((performance.now() - started) * 100) / 100,
      };
      if (status >= 500) {
        const failure = failureOf(c.req.raw);
        ctx.log.error(
          failure === undefined ? line : { ...line, error: loggableError(failure) },
          "request failed",
        );
      } else ctx.log.debug(line, "request");
    }
  });
}

/**
 * Optional allowlists for deployments behind a known domain: a request whose Host is not
 * listed gets 421, one whose Origin (sent by browsers) is not listed gets 403. Liveness,
 * readiness and metrics skip the Host check (probes often use an IP).
 */
export function registerAllowlists(
  app: Hono,
  allowedHosts: readonly string[] | undefined,
  allowedOrigins: readonly string[] | undefined,
): void {
  const hosts = allowedHosts?.map((h) => h.toLowerCase());
  const origins = allowedOrigins?.map((o) => o.toLowerCase().replace(/\/+$/, ""));
  if (!hosts?.length && !origins?.length) return;
  app.use("*", async (c, next) => {
    const url = new URL(c.req.url);
    const probe = ["/healthz", "/readyz", "/metrics"].includes(url.pathname);
    if (hosts?.length && !probe) {
      const host = url.host.toLowerCase();
      if (!hosts.includes(host) && !hosts.includes(url.hostname.toLowerCase())) {
        return c.json(
          {
            error: "host_not_allowed",
            detail:
              "This gateway does not serve that host name; use the URL the operator gave you.",
          },
          421,
        );
      }
    }
    const origin = c.req.header("origin");
    if (origins?.length && origin !== undefined && !origins.includes(origin.toLowerCase())) {
      return c.json(
        {
          error: "origin_not_allowed",
          detail: "Requests from this web origin are not allowed by the gateway's configuration.",
        },
        403,
      );
    }
    await next();
  });
}
