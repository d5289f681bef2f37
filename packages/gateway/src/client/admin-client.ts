import { GatewayHttpError } from "../errors.js";

/** Options of {@link createAdminClient}. */
export interface AdminClientOptions {
  /** The gateway's origin, e.g. `http://127.0.0.1:8788`. */
  url: string;
  /** The admin key (POLAR_MCP_ADMIN_KEY). */
  adminKey: string;
  /** Injected fetch (default `globalThis.fetch`). */
  fetch?: typeof globalThis.fetch;
}

/** Body of a server creation, as the admin API takes it. */
export interface CreateServerBody {
  name: string;
  config?: {
    methods?: string[];
    tags?: string[];
    tools?: string[];
    exclude_tools?: string[];
    read_only?: boolean;
    mode?: "static" | "dynamic";
  };
  expires_at?: string | null;
  require_api_token_auth?: boolean;
}

type Json = Record<string, unknown>;

/**
 * A thin client of the admin API (what `polar-mcp gateway servers …` uses). Errors are
 * `GatewayHttpError`s carrying the gateway's status, code and message.
 *
 * @example
 * const admin = createAdminClient({ url: "http://127.0.0.1:8788", adminKey });
 * const { url } = await admin.createServer("acc_…", { name: "Claude", config: { methods: ["read"] } });
 */
export function createAdminClient(options: AdminClientOptions) {
  const base = options.url.replace(/\/+$/, "");
  const fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  async function call(method: string, path: string, body?: unknown): Promise<Json> {
    let response: Response;
    try {
      response = await fetch(`${base}/admin${path}`, {
        method,
        headers: {
          authorization: `Bearer ${options.adminKey}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new GatewayHttpError(
        503,
        "gateway_unreachable",
        `Cannot reach the gateway at ${base} (${(error as Error).message}); start it with \`polar-mcp gateway\` or pass --url.`,
      );
    }
    if (response.status === 204) return {};
    const json = (await response.json().catch(() => ({}))) as Json;
    if (!response.ok) {
      throw new GatewayHttpError(
        response.status,
        typeof json.error === "string" ? json.error : "http_error",
        typeof json.detail === "string"
          ? json.detail
          : `The gateway answered HTTP ${response.status}.`,
      );
    }
    return json;
  }
  return {
    createAccount: (body: {
      name: string;
      access_token: string;
      server?: string;
      base_url?: string;
    }) => call("POST", "/accounts", body),
    listAccounts: async () => (await call("GET", "/accounts")).items as Json[],
    /** Starts Connect with Polar: `{ account_id, connect_url, scopes, expires_at }`. */
    connectAccount: (body: {
      name: string;
      server?: string;
      base_url?: string;
      config?: CreateServerBody["config"];
    }) => call("POST", "/connect", body),
    /** Re-seals every account's credential under the newest key of the gateway's ring. */
    reencryptAccounts: () => call("POST", "/accounts/reencrypt"),
    createServer: (accountId: string, body: CreateServerBody) =>
      call("POST", `/accounts/${encodeURIComponent(accountId)}/mcp-servers`, body),
    listServers: async (accountId: string) =>
      (await call("GET", `/accounts/${encodeURIComponent(accountId)}/mcp-servers`)).items as Json[],
    getServer: (id: string) => call("GET", `/mcp-servers/${encodeURIComponent(id)}`),
    updateServer: (id: string, body: Partial<CreateServerBody>) =>
      call("PATCH", `/mcp-servers/${encodeURIComponent(id)}`, body),
    rotateServer: (id: string) => call("POST", `/mcp-servers/${encodeURIComponent(id)}/rotate`),
    deleteServer: async (id: string) => {
      await call("DELETE", `/mcp-servers/${encodeURIComponent(id)}`);
    },
    createApiToken: (accountId: string, name: string) =>
      call("POST", `/accounts/${encodeURIComponent(accountId)}/api-tokens`, { name }),
    listCalls: async (query: { account_id?: string; server_id?: string; limit?: number } = {}) => {
      const params = new URLSearchParams(
        Object.entries(query)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k, String(v)]),
      );
      return (await call("GET", `/audit${params.size ? `?${params}` : ""}`)).items as Json[];
    },
  };
}

/** The admin client's type. */
export type AdminClient = ReturnType<typeof createAdminClient>;
