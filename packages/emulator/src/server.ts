import { serve } from "@hono/node-server";
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
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  emulator.context.baseUrl = url;
  return {
    url,
    seed: emulator.seed,
    emulator,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await emulator.close();
    },
  };
}
