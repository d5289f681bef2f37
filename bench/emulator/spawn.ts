import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export interface Child {
  process: ChildProcess;
  url: string;
  seed: { accessToken: string; licenseKey: string; organizationId: string } | null;
  /** Resident set size of the child, in MB (Linux /proc). */
  rssMb(): number;
  stop(): void;
}

/** Spawns a bench child (TypeScript through tsx, sources resolved) and reads its JSON line. */
export async function spawnChild(file: string): Promise<Child> {
  const path = fileURLToPath(new URL(file, import.meta.url));
  // `.mjs` children run on plain node (a build); `.ts` children through tsx (sources).
  const args = path.endsWith(".mjs")
    ? [path]
    : ["--conditions=polar-mcp-source", "--import", import.meta.resolve("tsx"), path];
  // BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the child under load.
  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`${file} exited with ${code}`)));
  });
  const { url, seed } = JSON.parse(line) as Pick<Child, "url" | "seed">;
  return {
    process: child,
    url,
    seed,
    rssMb: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    },
    stop: () => {
      child.kill("SIGTERM");
    },
  };
}
