import type { Hono } from "hono";
import type { EmulatorContext } from "../../context.js";
import type { OperationHandlers } from "../../http/operation.js";
import {
  approve,
  consentShortcut,
  deny,
  validateAuthorizationRequest,
  type AuthorizationRequest,
} from "./authorization.js";
import { clientHandlers } from "./clients.js";
import { OAuth2Error, oauth2Response } from "./errors.js";
import { jwks } from "./id-token.js";
import { serverMetadata } from "./metadata.js";
import { renderAuthorizeErrorPage, renderConsentPage } from "./page.js";
import { scopeDisplayNames, scopeList } from "./scopes.js";
import { tokenHandlers } from "./tokens.js";
import { organizationsOfUser, testUser } from "./users.js";

const queryOf = (url: URL): Record<string, string> => {
  const params: Record<string, string> = {};
  for (const [key, value] of url.searchParams) if (!(key in params)) params[key] = value;
  return params;
};

/** What Polar's `GET /v1/oauth2/authorize` answers its web app: the consent screen's data. */
function authorizeResponse(ctx: EmulatorContext, request: AuthorizationRequest) {
  const user = testUser(ctx);
  const { client } = request;
  return {
    client: {
      created_at: client.created_at,
      modified_at: client.modified_at,
      client_id: client.client_id,
      client_name: client.metadata.client_name,
      client_uri: client.metadata.client_uri ?? null,
      logo_uri: client.metadata.logo_uri ?? null,
      tos_uri: client.metadata.tos_uri ?? null,
      policy_uri: client.metadata.policy_uri ?? null,
    },
    sub_type: "user",
    sub: { id: user.id, email: user.email, avatar_url: user.avatar_url },
    scopes: scopeList(request.scope),
    organizations: organizationsOfUser(ctx).map((o) => ({
      id: o.id,
      slug: o.slug,
      avatar_url: o.avatar_url,
    })),
    requires_single_organization: request.requiresSingleOrganization,
    scope_display_names: scopeDisplayNames(ctx.document),
  };
}

export const oauth2Handlers: OperationHandlers = {
  ...clientHandlers,
  ...tokenHandlers,
  // The emulator's browser is always signed in as the test user (see users.ts).
  "oauth2:authorize": (req, ctx) =>
    oauth2Response(() => {
      const request = validateAuthorizationRequest(ctx, queryOf(req.url));
      const user = testUser(ctx);
      const granted = consentShortcut(ctx, user, request);
      if (granted) return approve(ctx, user, request, granted.organization_ids);
      return Response.json(authorizeResponse(ctx, request));
    }),
};

/**
 * The browser side of OAuth2: the consent page (`/oauth2/authorize`, the metadata's
 * authorization endpoint, as Polar's web app page), its form target (`/v1/oauth2/consent`,
 * Polar's private endpoint), the discovery documents and the ID-token keys.
 */
export function registerOAuth2Pages(app: Hono, ctx: EmulatorContext): void {
  const metadata = (c: { req: { url: string } }) => serverMetadata(ctx, new URL(c.req.url).origin);
  app.get("/.well-known/openid-configuration", (c) => c.json(metadata(c)));
  app.get("/.well-known/oauth-authorization-server", (c) => c.json(metadata(c)));
  app.get("/.well-known/jwks.json", async (c) => c.json(await jwks(ctx)));

  app.get("/oauth2/authorize", async (c) => {
    const params = queryOf(new URL(c.req.url));
    const answer = await oauth2Response(() => {
      const request = validateAuthorizationRequest(ctx, params);
      const user = testUser(ctx);
      const granted = consentShortcut(ctx, user, request);
      if (granted) return approve(ctx, user, request, granted.organization_ids);
      const page = renderConsentPage({
        request,
        user,
        organizations: organizationsOfUser(ctx),
        scopeNames: scopeDisplayNames(ctx.document),
      });
      return new Response(page, { headers: { "Content-Type": "text/html; charset=utf-8" } });
    });
    return errorAsPage(answer);
  });

  app.post("/v1/oauth2/consent", async (c) => {
    const form = await c.req.formData();
    const params: Record<string, string> = {};
    const organizationIds: string[] = [];
    for (const [key, value] of form) {
      if (typeof value !== "string") continue;
      if (key === "organizations") organizationIds.push(value);
      else if (!(key in params)) params[key] = value;
    }
    const answer = await oauth2Response(() => {
      const request = validateAuthorizationRequest(ctx, params);
      if (params.action === "allow") return approve(ctx, testUser(ctx), request, organizationIds);
      if (params.action === "deny") return deny(request);
      throw new OAuth2Error("invalid_request", "action must be allow or deny");
    });
    return errorAsPage(answer);
  });
}

/** Errors that cannot go back to the client are shown to the person in the browser. */
async function errorAsPage(response: Response): Promise<Response> {
  if (response.status < 400) return response;
  const body = (await response.json()) as { error: string; error_description?: string };
  return new Response(renderAuthorizeErrorPage(body.error, body.error_description), {
    status: response.status,
    headers: { "Content-Type": "text/html; charset=utf-8" },
  });
}
