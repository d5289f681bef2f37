import { serve } from "@hono/node-server";
import { Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createEmulator, type Emulator, type EmulatorOptions } from "./emulator.js";
import { EmulatorError } from "./errors.js";
import { loadDocumentFromUrl } from "./openapi/document.js";
import type { DemoSeed } from "./seed/demo.js";

export interface StartEmulatorOptions extends Omit<EmulatorOptions, "baseUrl" | "seed"> {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
  /** `"demo"` creates a ready-to-use organization (the CLI passes it as a string). */
  seed?: "demo" | string;
  /** The CLI's printing flag; the emulator itself ignores it. */
  json?: boolean;
}

/**
 * How long an idle keep-alive connection stays open. Node's default (5 s) is shorter than
 * many client pools keep a socket idle (Node's http.Agent until the server closes it, others
 * 60 s), so a request written on a connection the server is closing meets ECONNRESET. 65 s
 * outlasts them; the value is also announced in the `Keep-Alive: timeout=` response header.
 */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;
/** Must exceed the keep-alive timeout, or Node may drop a connection mid-headers. */
const HEADERS_TIMEOUT_MS = 66_000;

export interface RunningEmulator {
  url: string;
  seed: DemoSeed | undefined;
  emulator: Emulator;
  close(): Promise<void>;
}

/** Starts the emulator on a real socket; resolves once it accepts connections. */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? "127.0.0.1";
  const { port: _port, host: _host, json: _json, seed, spec, ...rest } = options;
  if (seed !== undefined && seed !== "demo") {
    throw new EmulatorError("unknown_seed", `Unknown seed "${seed}"; the only seed is "demo".`);
  }
  const emulator = createEmulator({
    ...rest,
    ...(seed ? { seed } : {}),
    // Here the network may be used: a URL, or Polar's public document, is fetched and cached.
    spec: await loadDocumentFromUrl(spec),
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve(
      {
        fetch: (request, env) => emulator.fetch(request, env),
        port: options.port ?? 0,
        hostname: host,
      },
      () => resolve(s),
    );
    s.once("error", reject);
  });
  if (server instanceof HttpServer) {
    server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    server.headersTimeout = HEADERS_TIMEOUT_MS;
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  emulator.context.baseUrl = url;
  return {
    url,
    seed: emulator.seed,
    emulator,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // close() ends the connections idle at that moment; one whose response is still being
      // written would then stay open for the 65 s keep-alive. Node reads keepAliveTimeout
      // when a connection goes idle, so such connections end right after their response.
      if (server instanceof HttpServer) server.keepAliveTimeout = 1;
      await closed;
      await emulator.close();
    },
  };
}
