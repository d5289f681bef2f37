import { createEmulator, type Emulator } from "../../packages/emulator/src/index.js";

/** A demo emulator in process (its `tool_call` meter is active) and a JSON caller. */
export function benchEmulator(): { emulator: Emulator; call: Caller } {
  const emulator = createEmulator({ seed: "demo" });
  const token = emulator.seed!.accessToken;
  const call: Caller = async (method, path, body) => {
    const res = await emulator.fetch(
      new Request(`http://emulator${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    );
    if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
    return (await res.json()) as unknown;
  };
  return { emulator, call };
}

export type Caller = (method: string, path: string, body?: unknown) => Promise<unknown>;

/** Median of `runs` timings of `fn`, in milliseconds. */
export async function medianMs(
  runs: number,
  fn: () => Promise<unknown> | unknown,
): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

export const fmt = (n: number, digits = 1) => n.toFixed(digits);
