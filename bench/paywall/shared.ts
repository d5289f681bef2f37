import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export interface BenchSeed {
  organizationId: string;
  accessToken: string;
  productId: string;
  customerId: string;
  licenseKey: string;
  meterId: string;
  benefitIds: { licenseKeys: string; meterCredit: string };
}

/** Starts the emulator in a child process with the given latency; resolves its URL and seed. */
export async function spawnEmulator(
  latencyMs: number,
): Promise<{ url: string; seed: BenchSeed; child: ChildProcess }> {
  const entry = fileURLToPath(new URL("./emulator-child.ts", import.meta.url));
  const child = spawn(
    process.execPath,
    ["--conditions=polar-mcp-source", "--import", "tsx", entry],
    {
      env: { ...process.env, LATENCY_MS: String(latencyMs) },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  const { url, seed } = JSON.parse(line) as { url: string; seed: BenchSeed };
  return { url, seed, child };
}

/** A JSON call to the emulator with the seed's token. */
export async function polarCall<T>(
  url: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export const fmt = (n: number, digits = 3) =>
  n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(Math.min(digits, 2)) : n.toFixed(digits);
