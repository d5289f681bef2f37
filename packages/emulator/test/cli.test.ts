import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { startEmulator } from "../src/index.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

describe("CLI and persistence", () => {
  const dir = mkdtempSync(join(tmpdir(), "polar-emulator-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("polar-mcp emulator --json prints one line { url, seed } once it accepts connections", async () => {
    const child = spawn(
      process.execPath,
      [
        "packages/cli/bin/polar-mcp.js",
        "emulator",
        "--port",
        "0",
        "--db",
        ":memory:",
        "--seed",
        "demo",
        "--json",
      ],
      { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] },
    );
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once("line", resolve);
        child.once("exit", (code) => reject(new Error(`CLI exited with ${code}`)));
      });
      const { url, seed } = JSON.parse(line) as {
        url: string;
        seed: { accessToken: string; licenseKey: string; organizationId: string };
      };
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${url}/v1/license-keys/validate`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${seed.accessToken}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({ key: seed.licenseKey, organization_id: seed.organizationId }),
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { validations: number }).validations).toBe(1);
    } finally {
      child.kill("SIGTERM");
    }
  }, 30_000);

  it("keeps its data in a file database across a restart", async () => {
    const db = join(dir, "emulator.sqlite");
    const first = await startEmulator({ db, seed: "demo" });
    const headers = {
      authorization: `Bearer ${first.seed!.accessToken}`,
      "content-type": "application/json",
    };
    const created = await fetch(`${first.url}/v1/customers/`, {
      method: "POST",
      headers,
      body: JSON.stringify({ email: "persist@example.com", external_id: "persist-1" }),
    });
    expect(created.status).toBe(201);
    await first.close();

    const second = await startEmulator({ db, seed: "demo" });
    expect(second.seed).toEqual(first.seed);
    const read = await fetch(`${second.url}/v1/customers/external/persist-1`, { headers });
    expect(read.status).toBe(200);
    expect(((await read.json()) as { email: string }).email).toBe("persist@example.com");
    await second.close();
  });
});
