import { createEmulator, type Emulator, type EmulatorOptions } from "../src/index.js";

export interface CallInit {
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  /** Bearer token; `null` sends none. Default: the demo seed's token. */
  token?: string | null;
}

/** An in-process demo emulator plus a small `call(method, path, init)` → { status, body }. */
export function demoEmulator(options: EmulatorOptions = {}) {
  const emulator: Emulator = createEmulator({ seed: "demo", ...options });
  const seed = emulator.seed!;
  async function call(method: string, path: string, init: CallInit = {}) {
    const headers: Record<string, string> = { ...init.headers };
    const token = init.token === undefined ? seed.accessToken : init.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (init.body !== undefined || init.raw !== undefined)
      headers["content-type"] = "application/json";
    const res = await emulator.fetch(
      new Request(`http://emulator${path}`, {
        method,
        headers,
        ...(init.raw !== undefined
          ? { body: init.raw }
          : init.body !== undefined
            ? { body: JSON.stringify(init.body) }
            : {}),
      }),
    );
    const text = await res.text();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const body: any = text ? JSON.parse(text) : undefined;
    return { status: res.status, body, headers: res.headers };
  }
  return { emulator, seed, call };
}
