import { serve } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { createGateway, type Gateway } from "./gateway.js";
import type { GatewayOptions } from "./options.js";

/** Default port of `polar-mcp gateway`. */
export const DEFAULT_GATEWAY_PORT = 8788;

/** Options of {@link startGateway}: the gateway's plus where to listen. */
export interface StartGatewayOptions extends GatewayOptions {
  /** Port; 0 picks a free one (default 8788). */
  port?: number;
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
}

/** A gateway listening on a socket. */
export interface RunningGateway {
  /** `http://host:port` (the admin API is under `/admin`). */
  url: string;
  gateway: Gateway;
  close(): Promise<void>;
}

/**
 * Starts a gateway on a real socket (what `polar-mcp gateway` runs); resolves once it
 * accepts connections.
 *
 * @example
 * const running = await startGateway({ port: 0, db: ":memory:" }); // keys from the environment
 * console.log(running.url);
 */
export async function startGateway(options: StartGatewayOptions = {}): Promise<RunningGateway> {
  const { port, host: hostOption, ...rest } = options;
  const host = hostOption ?? "127.0.0.1";
  const gateway = await createGateway(stripUndefined(rest));
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve(
      { fetch: gateway.app.fetch, port: port ?? DEFAULT_GATEWAY_PORT, hostname: host },
      () => resolve(s),
    );
    s.once("error", reject);
  }).catch(async (error: unknown) => {
    await gateway.close();
    throw error;
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${bound}`,
    gateway,
    close: async () => {
      await new Promise<void>((resolve) => {
        if ("closeAllConnections" in server) server.closeAllConnections();
        server.close(() => resolve());
      });
      await gateway.close();
    },
  };
}

// The CLI leaves unset flags undefined; drop them so defaults and env fallbacks apply.
function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
