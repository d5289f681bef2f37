// The server's building blocks as an embedding host uses them, imported from the public entry
// (@polar-mcp/server) and run against the emulator over real sockets with the official MCP
// clients of both SDK lines: the web-standard handler (both protocol eras), the HTTP transport
// and its guard, the v2 server on its own, Sign in with Polar's resource-server gate, the
// base-URL rule, the portable schema rewrite, and the toolset helpers.
import { Client as LegacyClient } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as LegacyHttpTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  exchangeAuthorization,
  registerClient,
  startAuthorization,
} from "@modelcontextprotocol/sdk/client/auth.js";
import {
  Client as ModernClient,
  InMemoryTransport,
  StreamableHTTPClientTransport as ModernHttpTransport,
} from "@modelcontextprotocol/client";
import { startEmulator, type DemoSeed, type RunningEmulator } from "@polar-mcp/emulator";
import {
  buildToolCatalog,
  createModernPolarMcpServer,
  createPolarMcpHandler,
  createPolarSignIn,
  createPolarTools,
  createToolView,
  DEFAULT_PORTAL_TOOLSET,
  DEFAULT_TOOLSET,
  DYNAMIC_TOOL_NAMES,
  JSON_OBJECT_DESCRIPTION,
  POLAR_PRODUCTION_BASE_URL,
  POLAR_SANDBOX_BASE_URL,
  portableSchema,
  resolveBaseUrl,
  selectToolsets,
  ServerError,
  startHttpTransport,
  toolsetNames,
  type JsonSchema,
  type PolarMcpRequestContext,
} from "@polar-mcp/server";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakePolar, json, loadSpec } from "./helpers.js";
import { anthropicIssues, geminiIssues, openAiIssues } from "./providers/rules.js";

const spec = loadSpec();

interface CustomerPage {
  items: { id: string; email: string }[];
}

let running: RunningEmulator;
let seed: DemoSeed;
/** The customers the emulator itself answers, to compare what tools return with. */
let customerIds: string[];

beforeAll(async () => {
  running = await startEmulator({ port: 0, seed: "demo" });
  seed = running.seed as DemoSeed;
  const direct = await fetch(`${running.url}/v1/customers/?limit=100`, {
    headers: { authorization: `Bearer ${seed.accessToken}` },
  });
  customerIds = ((await direct.json()) as CustomerPage).items.map((c) => c.id).sort();
  expect(customerIds.length).toBeGreaterThan(0);
});
afterAll(() => running.close());

const idsOf = (content: unknown) => (content as CustomerPage).items.map((c) => c.id).sort();

describe("createPolarMcpHandler behind startHttpTransport, against the emulator", () => {
  const seen: PolarMcpRequestContext["era"][] = [];
  const logged: Record<string, unknown>[] = [];
  let endpoint: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    const handler = createPolarMcpHandler(({ era }) => {
      seen.push(era);
      return { spec, accessToken: seed.accessToken, baseUrl: running.url };
    });
    endpoint = await startHttpTransport({ port: 0, handler, log: (entry) => logged.push(entry) });
  });
  afterAll(() => endpoint.close());

  it("serves the v1 client (2025-11-25: initialize, then calls): customers_list answers the emulator's customers, and the options factory is told the legacy era", async () => {
    const client = new LegacyClient({ name: "legacy-test", version: "1.0.0" });
    await client.connect(new LegacyHttpTransport(new URL(endpoint.url)));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain("customers_list");
      const result = await client.callTool({ name: "customers_list", arguments: { limit: 100 } });
      expect(result.isError).toBeFalsy();
      expect(idsOf(result.structuredContent)).toEqual(customerIds);
    } finally {
      await client.close();
    }
    expect(seen).toContain("legacy");
    expect(seen).not.toContain("modern");
  });

  it("serves the v2 client pinned to 2026-07-28 (stateless, no initialize) with the same data, and the factory is told the modern era", async () => {
    const client = new ModernClient(
      { name: "modern-test", version: "1.0.0" },
      { versionNegotiation: { mode: { pin: "2026-07-28" } } },
    );
    await client.connect(new ModernHttpTransport(new URL(endpoint.url)));
    try {
      expect(client.getProtocolEra()).toBe("modern");
      const result = await client.callTool({
        name: "customers_get",
        arguments: { id: seed.customerId },
      });
      expect(result.isError).toBeFalsy();
      expect((result.structuredContent as { id: string }).id).toBe(seed.customerId);
      const list = await client.callTool({ name: "customers_list", arguments: { limit: 100 } });
      expect(idsOf(list.structuredContent)).toEqual(customerIds);
    } finally {
      await client.close();
    }
    expect(seen).toContain("modern");
  });

  it("startHttpTransport answers GET with 405, another path with 404 and a foreign Host with 403, before any MCP server is built", async () => {
    const before = seen.length;
    const get = await fetch(endpoint.url, { headers: { accept: "text/event-stream" } });
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    const elsewhere = await fetch(new URL("/other", endpoint.url), { method: "POST" });
    expect(elsewhere.status).toBe(404);
    const { request } = await import("node:http");
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        endpoint.url,
        {
          method: "POST",
          headers: { host: "attacker.example", "content-type": "application/json" },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end("{}");
    });
    expect(status).toBe(403);
    expect(seen.length).toBe(before);
    expect(logged).toEqual([]);
  });

  it("startHttpTransport with httpToken: a client without the bearer token gets 401, with it lists tools", async () => {
    const guarded = await startHttpTransport({
      port: 0,
      httpToken: "local-secret",
      handler: createPolarMcpHandler({ spec, accessToken: seed.accessToken, baseUrl: running.url }),
    });
    try {
      const refused = new LegacyClient({ name: "no-token", version: "1.0.0" });
      await expect(refused.connect(new LegacyHttpTransport(new URL(guarded.url)))).rejects.toThrow(
        /401|bearer/i,
      );
      const client = new LegacyClient({ name: "token", version: "1.0.0" });
      await client.connect(
        new LegacyHttpTransport(new URL(guarded.url), {
          requestInit: { headers: { authorization: "Bearer local-secret" } },
        }),
      );
      expect((await client.listTools()).tools.length).toBeGreaterThan(0);
      await client.close();
    } finally {
      await guarded.close();
    }
  });

  it("createPolarMcpHandler checks fixed options at once: an unknown toolset is a ServerError before anything serves", () => {
    expect(() => createPolarMcpHandler({ spec, toolsets: ["no_such_group"] })).toThrow(ServerError);
  });
});

describe("createModernPolarMcpServer with the v2 client in memory", () => {
  it("lists what its options allow (read-only: every tool a GET) and calls the emulator with the configured token", async () => {
    const server = createModernPolarMcpServer({
      spec,
      accessToken: seed.accessToken,
      baseUrl: running.url,
      readOnly: true,
      mode: "static",
    });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new ModernClient({ name: "memory", version: "1.0.0" });
    await client.connect(clientSide);
    try {
      const { tools } = await client.listTools();
      const readOps = createToolView(buildToolCatalog(spec), {
        readOnly: true,
        credential: "organization",
      }).tools.map((t) => t.name);
      expect(tools.map((t) => t.name)).toEqual(readOps);
      expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
      expect(tools.map((t) => t.name)).not.toContain("customers_create");
      const result = await client.callTool({
        name: "customers_get",
        arguments: { id: seed.customerId },
      });
      expect((result.structuredContent as { id: string }).id).toBe(seed.customerId);
      const refused = await client.callTool({ name: "customers_delete", arguments: { id: "x" } });
      expect(refused.isError).toBe(true);
    } finally {
      await client.close();
      await server.close();
    }
  });
});

describe("createToolView: what is listed and why the rest is refused", () => {
  const catalog = buildToolCatalog(spec);
  it("read-only keeps only GET operations, and access() names the reason a write tool is refused", () => {
    const view = createToolView(catalog, { readOnly: true, credential: "organization" });
    expect(view.tools.length).toBeGreaterThan(0);
    expect(view.tools.every((tool) => tool.method === "get")).toBe(true);
    expect(view.access("customers_list")).toMatchObject({ ok: true });
    const refused = view.access("customers_create");
    expect(refused).toEqual({
      ok: false,
      reason: "customers_create changes data and this server is read-only.",
    });
    expect(view.access("customers:list")).toMatchObject({ ok: true }); // an operation id works too
  });

  it("an unknown tag is a ServerError naming the known tags", () => {
    expect(() => createToolView(catalog, { tags: ["nope"], credential: "organization" })).toThrow(
      /Unknown tag "nope" in tags; known tags: .*customers/,
    );
  });
});

describe("createPolarTools: the SDK-independent core", () => {
  it("picks static mode for `all`, lists every operation, and its tools call Polar at the configured base URL", async () => {
    const core = createPolarTools({
      spec,
      accessToken: seed.accessToken,
      baseUrl: `${running.url}/`,
      all: true,
    });
    expect(core.mode).toBe("static");
    expect(core.listed.size).toBe(186);
    expect(core.instructions).toMatch(/one flat object/);
    const result = await core.tools.callTool("customers_list", { limit: 100 });
    expect(result.isError).toBeFalsy();
    expect(idsOf(result.structuredContent)).toEqual(customerIds);
  });

  it("dynamic mode lists only the three meta-tools", () => {
    const core = createPolarTools({ spec, accessToken: seed.accessToken, mode: "dynamic" });
    expect(core.tools.listTools().map((t) => t.name)).toEqual(Object.values(DYNAMIC_TOOL_NAMES));
    expect(core.listed.size).toBe(0);
  });
});

describe("resolveBaseUrl: which Polar a server calls", () => {
  it("prefers baseUrl (trailing slashes dropped), else sandbox for server: sandbox, else production", () => {
    expect(resolveBaseUrl({ baseUrl: "http://127.0.0.1:9/", server: "sandbox" })).toBe(
      "http://127.0.0.1:9",
    );
    expect(resolveBaseUrl({ server: "sandbox" })).toBe(POLAR_SANDBOX_BASE_URL);
    expect(resolveBaseUrl({})).toBe(POLAR_PRODUCTION_BASE_URL);
  });

  it("the URL it resolves is where tool calls go (server: sandbox reaches sandbox-api.polar.sh)", async () => {
    const polar = fakePolar(() =>
      json(200, { items: [], pagination: { total_count: 0, max_page: 1 } }),
    );
    const core = createPolarTools({
      spec,
      accessToken: "polar_oat_x",
      server: "sandbox",
      fetch: polar.fetch,
    });
    await core.tools.callTool("customers_list", {});
    expect(polar.requests.map((r) => r.url.origin)).toEqual([
      resolveBaseUrl({ server: "sandbox" }),
    ]);
  });
});

describe("createPolarSignIn: Polar (the emulator) as authorization server", () => {
  const resourceUrl = new URL("http://127.0.0.1:8123/mcp");
  let userinfoCalls = 0;
  // An injected clock on the real epoch (the SDK gate compares expiresAt with Date.now).
  let clock = Date.now();
  const counting: typeof fetch = (input, init) => {
    if (String(input instanceof Request ? input.url : input).endsWith("/v1/oauth2/userinfo"))
      userinfoCalls += 1;
    return fetch(input, init);
  };

  /** A signed-in user's token: registration, PKCE, the consent form posted as "Allow", code exchange. */
  async function userToken(): Promise<{ token: string; client: Record<string, string> }> {
    const issuer = running.url;
    const metadataResponse = await fetch(`${issuer}/.well-known/oauth-authorization-server`);
    const metadata = (await metadataResponse.json()) as Parameters<
      typeof startAuthorization
    >[1]["metadata"] &
      object;
    const redirectUrl = "http://127.0.0.1:8123/callback";
    const clientInformation = await registerClient(issuer, {
      metadata,
      clientMetadata: {
        client_name: "sign-in test",
        redirect_uris: [redirectUrl],
        token_endpoint_auth_method: "client_secret_post",
        scope: "openid customers:read",
      },
    });
    const { authorizationUrl, codeVerifier } = await startAuthorization(issuer, {
      metadata,
      clientInformation,
      redirectUrl,
      scope: "openid customers:read",
    });
    const form = new URLSearchParams(authorizationUrl.searchParams);
    form.set("action", "allow");
    form.set("organizations", seed.organizationId);
    const consent = await fetch(`${issuer}/v1/oauth2/consent`, {
      method: "POST",
      body: form,
      redirect: "manual",
    });
    expect(consent.status).toBe(302);
    const code = new URL(consent.headers.get("location") as string).searchParams.get("code");
    const tokens = await exchangeAuthorization(issuer, {
      metadata,
      clientInformation,
      authorizationCode: code as string,
      codeVerifier,
      redirectUri: redirectUrl,
    });
    return {
      token: tokens.access_token,
      client: {
        client_id: clientInformation.client_id,
        client_secret: clientInformation.client_secret ?? "",
      },
    };
  }

  it("publishes RFC 9728 metadata naming the emulator as authorization server, and nothing for other paths", async () => {
    const signIn = await createPolarSignIn({ issuer: running.url, resourceUrl });
    expect(signIn.resourceMetadataUrl).toBe(
      "http://127.0.0.1:8123/.well-known/oauth-protected-resource/mcp",
    );
    const answer = signIn.metadataResponse(new Request(signIn.resourceMetadataUrl));
    expect(answer?.status).toBe(200);
    const body = (await answer?.json()) as { resource: string; authorization_servers: string[] };
    expect(body.resource).toBe(resourceUrl.href);
    expect(body.authorization_servers.map((s) => s.replace(/\/$/, ""))).toEqual([running.url]);
    expect(signIn.metadataResponse(new Request("http://127.0.0.1:8123/mcp"))).toBeUndefined();
  });

  it("answers a request without a token, or with one Polar refuses, with 401 and the metadata URL; a token Polar issued passes and is re-checked only after verifiedForSeconds", async () => {
    const signIn = await createPolarSignIn({
      issuer: running.url,
      resourceUrl,
      fetch: counting,
      verifiedForSeconds: 60,
      now: () => clock,
    });
    const bare = await signIn.authenticate(new Request(resourceUrl));
    expect(bare).toBeInstanceOf(Response);
    expect((bare as Response).status).toBe(401);
    expect((bare as Response).headers.get("www-authenticate")).toContain(
      `resource_metadata="${signIn.resourceMetadataUrl}"`,
    );

    const forged = await signIn.authenticate(
      new Request(resourceUrl, { headers: { authorization: "Bearer polar_at_u_forged" } }),
    );
    expect((forged as Response).status).toBe(401);
    expect((forged as Response).headers.get("www-authenticate")).toContain("invalid_token");

    const { token, client } = await userToken();
    expect(token.startsWith("polar_at_u_")).toBe(true);
    const calls = userinfoCalls;
    const withToken = () =>
      signIn.authenticate(
        new Request(resourceUrl, { headers: { authorization: `Bearer ${token}` } }),
      );
    const first = await withToken();
    expect(first).not.toBeInstanceOf(Response);
    expect(first).toMatchObject({ token });
    expect(userinfoCalls).toBe(calls + 1);
    await withToken();
    expect(userinfoCalls).toBe(calls + 1); // cached
    // Polar revokes the token; once the 60 s are over the gate asks again and refuses it.
    const revoke = await fetch(`${running.url}/v1/oauth2/revoke`, {
      method: "POST",
      body: new URLSearchParams({ token, ...client }),
    });
    expect(revoke.status).toBe(200);
    const direct = await fetch(`${running.url}/v1/oauth2/userinfo`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(direct.status).toBe(401);
    clock += 61_000;
    const after = await withToken();
    expect(userinfoCalls).toBe(calls + 2);
    expect(after).toBeInstanceOf(Response);
    expect((after as Response).status).toBe(401);
  });

  it("refuses an issuer that serves no OAuth metadata with a ServerError", async () => {
    const polar = fakePolar();
    await expect(
      createPolarSignIn({ issuer: "http://127.0.0.1:1", resourceUrl, fetch: polar.fetch }),
    ).rejects.toThrow(ServerError);
    expect(polar.requests.map((r) => r.url.pathname)).toEqual([
      "/.well-known/oauth-authorization-server",
      "/.well-known/openid-configuration",
    ]);
  });
});

describe("portableSchema: Polar's request bodies rewritten into what every provider accepts", () => {
  // Each operation's JSON request body as a JSON Schema with the document's components as $defs.
  const components = (spec.components?.schemas ?? {}) as Record<string, JsonSchema>;
  const asDefs = (value: unknown): JsonSchema =>
    JSON.parse(JSON.stringify(value).replaceAll("#/components/schemas/", "#/$defs/")) as JsonSchema;
  const defs = asDefs(components) as Record<string, JsonSchema>;
  const bodies: { name: string; schema: JsonSchema }[] = [];
  for (const item of Object.values(spec.paths ?? {}) as Record<string, unknown>[]) {
    for (const operation of Object.values(item) as {
      operationId?: string;
      requestBody?: { content?: Record<string, { schema?: unknown }> };
    }[]) {
      const body = operation?.requestBody?.content?.["application/json"]?.schema;
      if (!operation?.operationId || !body) continue;
      bodies.push({
        name: operation.operationId.replace(/[^a-zA-Z0-9_]/g, "_"),
        schema: { ...asDefs(body), $defs: defs },
      });
    }
  }

  it("the raw bodies break provider rules (so the check can fail), the rewritten ones break none", () => {
    expect(bodies.length).toBeGreaterThan(60);
    const rawFailing = bodies.filter(
      ({ name, schema }) => geminiIssues({ name, inputSchema: schema }).length > 0,
    );
    expect(rawFailing.length).toBeGreaterThan(0);
    const ajv = new Ajv2020({ strict: true });
    const failing: string[] = [];
    for (const { name, schema } of bodies) {
      const inputSchema = portableSchema(schema);
      const issues = [
        ...openAiIssues({ name, inputSchema }),
        ...anthropicIssues({ name, inputSchema }),
        ...geminiIssues({ name, inputSchema }),
      ];
      if (issues.length > 0) failing.push(`${name}: ${issues.join("; ")}`);
      expect(() => ajv.compile(inputSchema), name).not.toThrow();
      expect(JSON.stringify(inputSchema)).not.toContain("$ref");
    }
    expect(failing).toEqual([]);
  });

  it("keeps properties and required fields, makes a const a one-value enum and an open object a JSON string", () => {
    const out = portableSchema({
      type: "object",
      properties: {
        kind: { const: "one_time" },
        name: { type: ["string", "null"], description: "Name" },
        metadata: { type: "object", additionalProperties: { type: "string" } },
      },
      required: ["kind"],
    });
    expect(out).toEqual({
      type: "object",
      properties: {
        kind: { type: "string", enum: ["one_time"] },
        name: { type: "string", description: "Name" },
        metadata: { type: "string", description: JSON_OBJECT_DESCRIPTION },
      },
      required: ["kind"],
    });
  });
});

describe("toolsetNames and selectToolsets: which groups a server can list", () => {
  const catalog = buildToolCatalog(spec);
  const view = createToolView(catalog, { credential: "organization" });

  it("toolsetNames: default, all, then one per OpenAPI tag (snake_case, no `public`)", () => {
    const names = toolsetNames(catalog);
    expect(names.slice(0, 2)).toEqual(["default", "all"]);
    expect(names).toContain("checkout_links");
    expect(names).toContain("webhooks");
    expect(names).not.toContain("public");
    expect(names.every((name) => /^[a-z0-9_]+$/.test(name))).toBe(true);
  });

  it("selectToolsets picks a tag's tools, the hero set per credential, or everything; an unknown name is a ServerError", () => {
    const webhooks = selectToolsets(view.tools, catalog, ["webhooks"]);
    expect(webhooks.length).toBeGreaterThan(0);
    expect(webhooks.map((t) => t.name)).toEqual(
      view.tools.filter((t) => t.tags.includes("webhooks")).map((t) => t.name),
    );
    expect(
      selectToolsets(view.tools, catalog, ["default"])
        .map((t) => t.name)
        .sort(),
    ).toEqual([...DEFAULT_TOOLSET].sort());
    const portal = createToolView(catalog, { credential: "customer_session" });
    expect(
      selectToolsets(portal.tools, catalog, ["default"], "customer_session")
        .map((t) => t.name)
        .sort(),
    ).toEqual([...DEFAULT_PORTAL_TOOLSET].sort());
    expect(selectToolsets(view.tools, catalog, ["all"])).toHaveLength(view.tools.length);
    expect(() => selectToolsets(view.tools, catalog, ["nope"])).toThrow(
      /Unknown toolset "nope" in toolsets; known toolsets: default, all/,
    );
  });

  it("the toolsets a server is given change what a real client lists: exactly selectToolsets' tools plus the meta-tools", async () => {
    const server = createModernPolarMcpServer({
      spec,
      accessToken: "polar_oat_x",
      toolsets: ["webhooks"],
    });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new ModernClient({ name: "memory", version: "1.0.0" });
    await client.connect(clientSide);
    try {
      const listed = (await client.listTools()).tools.map((t) => t.name).sort();
      const expected = [
        ...selectToolsets(view.tools, catalog, ["webhooks"]).map((t) => t.name),
        ...Object.values(DYNAMIC_TOOL_NAMES),
      ].sort();
      expect(listed).toEqual(expected);
      expect(listed).not.toContain("customers_list");
    } finally {
      await client.close();
      await server.close();
    }
  });
});
