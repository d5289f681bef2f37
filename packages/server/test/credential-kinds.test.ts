// Which operations each kind of Polar token is offered, through the public entry. Polar's
// server (server/polar/auth/dependencies.py) writes an operation's `security` from the subjects
// it allows: `pat` when a user may call it, `oat` when an organization may, `oidc` (OAuth2
// access tokens) when either may; an operation behind the OAuth2 dependency alone (userinfo)
// lists `oidc` only and takes any OAuth2 access token. Its middleware reads the token's prefix
// (polar_oat_, polar_pat_, polar_at_u_ / polar_at_o_ = OAuth2 for a user / an organization,
// polar_cst_, polar_mst_). The expected sets below are derived from the document by that rule.
import { describe, expect, it } from "vitest";
import {
  buildToolCatalog,
  createPolarTools,
  createToolView,
  credentialKindOf,
  type CredentialKind,
} from "@polar-mcp/server";
import { loadSpec } from "./helpers.js";

const spec = loadSpec();
const catalog = buildToolCatalog(spec);

/** Which subjects an operation allows, read from its security alternatives as Polar writes them. */
function allows(security: readonly string[][], kind: CredentialKind): boolean {
  if (security.length === 0) return true;
  const schemes = new Set(security.flat());
  const user = schemes.has("pat") || (schemes.has("oidc") && !schemes.has("oat"));
  const organization = schemes.has("oat") || (schemes.has("oidc") && !schemes.has("pat"));
  switch (kind) {
    case "organization":
      return schemes.has("oat");
    case "personal":
      return schemes.has("pat");
    case "oauth_user":
      return schemes.has("oidc") && user;
    case "oauth_organization":
      return schemes.has("oidc") && organization;
    case "customer_session":
      return schemes.has("customer_session");
    case "member_session":
      return schemes.has("member_session");
    case "none":
      return false;
  }
}

const expectedNames = (kind: CredentialKind) =>
  catalog.tools.filter((tool) => allows(tool.security, kind)).map((tool) => tool.name);

describe("credential kinds: each Polar token prefix lists what Polar lets that subject call", () => {
  it("credentialKindOf reads Polar's token prefixes (OAuth2 user and organization tokens apart)", () => {
    expect(credentialKindOf("polar_oat_abc")).toBe("organization");
    expect(credentialKindOf("polar_pat_abc")).toBe("personal");
    expect(credentialKindOf("polar_at_u_abc")).toBe("oauth_user");
    expect(credentialKindOf("polar_at_o_abc")).toBe("oauth_organization");
    expect(credentialKindOf("polar_cst_abc")).toBe("customer_session");
    expect(credentialKindOf("polar_mst_abc")).toBe("member_session");
    expect(credentialKindOf(undefined)).toBe("none");
    expect(credentialKindOf("")).toBe("none");
  });

  const counts: Record<CredentialKind, number> = {
    organization: 138,
    personal: 145,
    oauth_user: 146,
    oauth_organization: 139,
    customer_session: 49,
    member_session: 53,
    none: 13,
  };
  for (const [kind, count] of Object.entries(counts) as [CredentialKind, number][]) {
    it(`a ${kind} credential is offered exactly the ${count} operations (13 of them public) whose security admits its subject`, () => {
      const view = createToolView(catalog, { credential: kind });
      const names = view.tools.map((tool) => tool.name);
      expect(names).toEqual(expectedNames(kind));
      expect(names).toHaveLength(count);
    });
  }

  it("a signed-in user's OAuth token (polar_at_u_) gets the user's operations, an OAuth organization token (polar_at_o_) does not", () => {
    const listed = (accessToken: string) =>
      new Set(createPolarTools({ spec, accessToken, mode: "static" }).listed);
    const user = listed("polar_at_u_signed_in_user");
    const oauthOrganization = listed("polar_at_o_connected_org");
    const organization = listed("polar_oat_org_token");
    // Creating an organization and registering OAuth clients need a user (security: oidc, pat).
    for (const name of ["organizations_create", "oauth2_clients_create_client"]) {
      expect(user.has(name), name).toBe(true);
      expect(oauthOrganization.has(name), name).toBe(false);
      expect(organization.has(name), name).toBe(false);
    }
    // userinfo sits behind the OAuth2 dependency alone: any OAuth2 access token, no other token.
    expect(user.has("oauth2_userinfo")).toBe(true);
    expect(oauthOrganization.has("oauth2_userinfo")).toBe(true);
    expect(organization.has("oauth2_userinfo")).toBe(false);
    // Organization operations are open to all three.
    for (const set of [user, oauthOrganization, organization])
      expect(set.has("customers_list")).toBe(true);
  });

  it("an OAuth organization token calling a user-only operation is refused before anything is sent, naming the token it needs", async () => {
    const sent: string[] = [];
    const tools = createPolarTools({
      spec,
      accessToken: "polar_at_o_connected_org",
      mode: "static",
      all: true,
      fetch: async (input) => {
        sent.push(String(input));
        return new Response("{}", { status: 500 });
      },
    });
    const result = await tools.tools.callTool("organizations_create", {
      name: "Acme",
      slug: "acme",
    });
    expect(result.isError).toBe(true);
    const text = result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
    expect(text).toMatch(/personal access token \(polar_pat_…\)/);
    expect(text).toMatch(/polar_at_u_/);
    expect(text).toMatch(/OAuth token of an organization \(polar_at_o_…\)/);
    expect(sent).toEqual([]);
  });
});
