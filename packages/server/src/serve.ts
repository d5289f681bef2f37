import type { Readable, Writable } from "node:stream";
import { ServerError } from "./errors.js";
import { loadOpenApiDocument } from "./openapi/load.js";
import type { OpenApiDocument } from "./openapi/types.js";
import { resolveBaseUrl, type PolarMcpServerOptions } from "./options.js";
import { createPolarSignIn } from "./auth/polar-sign-in.js";
import { createPolarMcpHandler } from "./modern/handler.js";
import { createModernPolarMcpServer } from "./modern/server.js";
import { startHttpTransport } from "./transport/http.js";
import type { HttpGuardOptions } from "./transport/guard.js";
import { startStdioTransport } from "./transport/stdio.js";

/** Options of {@link servePolarMcp} (what `polar-mcp serve` passes). */
export interface ServePolarMcpOptions
  extends Omit<PolarMcpServerOptions, "spec">, HttpGuardOptions {
  /** `stdio` (default) or `http` (Streamable HTTP). */
  transport?: "stdio" | "http";
  /** HTTP port; 0 picks a free one (default 3000). */
  port?: number;
  /** HTTP interface (default 127.0.0.1). */
  host?: string;
  /** OpenAPI document: a loaded object, a file path or a URL (default `POLAR_OPENAPI`, then the copy shipped with polar-mcp, then Polar's public document, cached). */
  spec?: string | OpenApiDocument;
  /** Environment for fallbacks: POLAR_ACCESS_TOKEN, POLAR_OPENAPI, POLAR_MCP_HTTP_TOKEN (default `process.env`). */
  env?: Record<string, string | undefined>;
  /**
   * "Sign in with Polar" over HTTP: clients authenticate with Polar (OAuth 2.1, dynamic client
   * registration, PKCE) and tools act with the signed-in user's token, checked with Polar on
   * every new token. `issuer` defaults to the Polar base URL; `publicUrl` is this endpoint's
   * URL as clients see it (default the bound URL). Replaces `httpToken`.
   */
  signInWithPolar?: boolean | { issuer?: string; publicUrl?: string };
  /** Streams for stdio (default process.stdin / process.stdout). */
  stdin?: Readable;
  stdout?: Writable;
}

/** A running server. */
export interface ServedPolarMcp {
  /** The HTTP endpoint (`http://127.0.0.1:PORT/mcp`); absent for stdio. */
  url?: string;
  close(): Promise<void>;
}

/**
 * Loads the OpenAPI document, then serves Polar's API over stdio or Streamable HTTP.
 * The Polar credential is `accessToken`, else `POLAR_ACCESS_TOKEN`; MCP clients never
 * supply it. Filter mistakes (unknown tag …) fail here, before anything listens.
 *
 * @example
 * const served = await servePolarMcp({ transport: "http", port: 0, spec: "2026-10.openapi.json" });
 * console.log(served.url); // http://127.0.0.1:54321/mcp
 */
export async function servePolarMcp(options: ServePolarMcpOptions = {}): Promise<ServedPolarMcp> {
  const env = options.env ?? process.env;
  const baseUrl = resolveBaseUrl(options);
  const spec =
    typeof options.spec === "object" && options.spec !== null
      ? options.spec
      : await loadOpenApiDocument(options.spec, {
          env,
          ...(options.fetch ? { fetch: options.fetch } : {}),
        });
  const serverOptions: PolarMcpServerOptions = { ...stripServeOptions(options), spec, baseUrl };
  const accessToken = options.accessToken ?? env.POLAR_ACCESS_TOKEN;
  if (accessToken) serverOptions.accessToken = accessToken;
  else delete serverOptions.accessToken;
  // Creating one server up front validates the filters before anything listens.
  createModernPolarMcpServer(serverOptions);
  const transport = options.transport ?? "stdio";
  if (transport === "stdio") {
    const streams: { stdin?: Readable; stdout?: Writable } = {};
    if (options.stdin) streams.stdin = options.stdin;
    if (options.stdout) streams.stdout = options.stdout;
    return startStdioTransport(() => createModernPolarMcpServer(serverOptions), streams);
  }
  if (transport !== "http") {
    throw new ServerError(
      "invalid_option",
      `Unknown transport "${String(transport)}"; use stdio or http.`,
    );
  }
  const signIn = options.signInWithPolar;
  if (signIn) {
    const settings = signIn === true ? {} : signIn;
    const issuer = settings.issuer ?? baseUrl;
    const { accessToken: _serverToken, ...perUser } = serverOptions;
    return startHttpTransport({
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(options.host === undefined ? {} : { host: options.host }),
      ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
      ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}),
      ...(settings.publicUrl ? { publicUrl: settings.publicUrl } : {}),
      // Each request acts with the token Polar verified for it, never the server's own.
      handler: createPolarMcpHandler(
        ({ authInfo }) => (authInfo ? { ...perUser, accessToken: authInfo.token } : perUser),
        { onError: logHandlerError },
      ),
      signIn: (resourceUrl) =>
        createPolarSignIn({
          issuer,
          resourceUrl,
          ...(options.fetch ? { fetch: options.fetch } : {}),
        }),
    });
  }
  const httpToken = options.httpToken ?? env.POLAR_MCP_HTTP_TOKEN;
  return startHttpTransport({
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(httpToken ? { httpToken } : {}),
    ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
    ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}),
    handler: createPolarMcpHandler(serverOptions, { onError: logHandlerError }),
  });
}

// One structured stderr line per failure the MCP handler answered itself: its kind and
// message, never a stack, a token or a path of this machine.
function logHandlerError(error: Error): void {
  process.stderr.write(
    `${JSON.stringify({ level: "error", msg: "MCP request refused or failed", error: error.name, detail: error.message.slice(0, 200), time: new Date().toISOString() })}\n`,
  );
}

function stripServeOptions(options: ServePolarMcpOptions): Omit<PolarMcpServerOptions, "spec"> {
  const {
    transport: _transport,
    port: _port,
    host: _host,
    spec: _spec,
    env: _env,
    stdin: _stdin,
    stdout: _stdout,
    httpToken: _httpToken,
    allowedHosts: _allowedHosts,
    allowedOrigins: _allowedOrigins,
    signInWithPolar: _signInWithPolar,
    ...rest
  } = options;
  // Commander leaves unset flags undefined; drop them so defaults apply.
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Omit<
    PolarMcpServerOptions,
    "spec"
  >;
}
