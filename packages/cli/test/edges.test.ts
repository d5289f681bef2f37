// The CLI as a person meets it: errors that name the flag and the fix, a clear notice when
// serve has no credential, and a clean exit 0 on SIGINT and SIGTERM for every command that
// keeps running.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCliProcess, startCli } from "./process.js";

const scratch = mkdtempSync(join(tmpdir(), "polar-mcp-cli-edges-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const GATEWAY_ENV = {
  POLAR_MCP_ADMIN_KEY: "test-admin-key-0123456789",
  POLAR_MCP_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
};

async function occupiedPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return { port: address.port, server };
}

describe("errors name the flag and the fix", () => {
  it("a --db in a folder that does not exist, and a file that is not a database", async () => {
    const missing = join(scratch, "no-such-dir", "x.sqlite");
    const first = await runCliProcess(["emulator", "--port", "0", "--db", missing]);
    expect(first.code).toBe(1);
    expect(first.stderr.trim()).toBe(
      `polar-mcp: cannot open the database at ${missing}: Cannot open database because the directory does not exist; pass --db FILE or :memory:.`,
    );
    const notADatabase = join(scratch, "notes.sqlite");
    writeFileSync(notADatabase, "these are notes, not SQLite");
    const second = await runCliProcess(
      ["gateway", "--port", "0", "--db", notADatabase],
      GATEWAY_ENV,
    );
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(
      `polar-mcp: cannot open the database at ${notADatabase}: file is not a database; pass --db FILE or :memory:.`,
    );
  });

  it("a port in use says to pass --port 0", async () => {
    const { port, server } = await occupiedPort();
    try {
      const result = await runCliProcess(["emulator", "--port", String(port), "--db", ":memory:"]);
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(
        `polar-mcp: port ${port} is in use: pass --port 0 for any free port, or another --port.`,
      );
    } finally {
      server.close();
    }
  });

  it("a --spec that does not exist or is not JSON, on emulator, serve, gateway and demo", async () => {
    const notJson = join(scratch, "spec.yaml");
    writeFileSync(notJson, "openapi: 3.1.0\n");
    const missing = join(scratch, "missing.json");
    const runs = await Promise.all([
      runCliProcess(["emulator", "--port", "0", "--db", ":memory:", "--spec", missing]),
      runCliProcess(["serve", "--spec", notJson]),
      runCliProcess(["gateway", "--port", "0", "--db", ":memory:", "--spec", missing], GATEWAY_ENV),
      runCliProcess(["demo", "--script", "--spec", missing]),
    ]);
    for (const run of runs) {
      expect(run.code).not.toBe(0);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(run.stderr).toMatch(/--spec/);
    }
    expect(runs[0]?.stderr).toContain(
      `Cannot read Polar's OpenAPI document at ${missing} (--spec: ENOENT)`,
    );
    expect(runs[1]?.stderr).toContain(`${notJson} (--spec) is not JSON`);
    expect(runs[2]?.stderr).toContain(`Cannot read Polar's OpenAPI document at ${missing}`);
    expect(runs[3]?.stderr).toContain(`Cannot read Polar's OpenAPI document at ${missing}`);
  });
});

describe("serve without POLAR_ACCESS_TOKEN", () => {
  it("says on stderr which tools it lists and why, and stdout stays the protocol's", async () => {
    const cli = startCli(["serve"], { POLAR_ACCESS_TOKEN: "" });
    await cli.waitFor(/POLAR_ACCESS_TOKEN is not set/);
    expect(cli.stderr()).toContain(
      "only the operations Polar serves without a credential are listed",
    );
    expect(cli.stderr()).toContain("Set POLAR_ACCESS_TOKEN=polar_oat_…");
    expect(cli.stdout()).toBe("");
    cli.child.kill("SIGINT");
    expect(await cli.exited).toBe(0);
  });
});

describe("every long-running command exits 0 on SIGINT and SIGTERM", () => {
  const commands: Array<[string, string[], RegExp, Record<string, string>]> = [
    ["emulator", ["emulator", "--port", "0", "--db", ":memory:"], /listening on http/, {}],
    ["serve (stdio)", ["serve"], /POLAR_ACCESS_TOKEN is not set/, { POLAR_ACCESS_TOKEN: "" }],
    [
      "serve (http)",
      ["serve", "--transport", "http", "--port", "0"],
      /listening on http/,
      { POLAR_ACCESS_TOKEN: "polar_oat_x" },
    ],
    ["gateway", ["gateway", "--port", "0", "--db", ":memory:"], /listening on http/, GATEWAY_ENV],
    ["demo", ["demo", "--port", "0"], /Press Ctrl\+C to stop/, {}],
  ];
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it.each(commands)(
      `%s exits 0 on ${signal} once ready, with no stack trace on stderr`,
      async (_name, args, ready, env) => {
        const cli = startCli(args, env);
        await cli.waitFor(ready);
        cli.child.kill(signal);
        expect(await cli.exited).toBe(0);
        expect(cli.stderr()).not.toMatch(/\n\s+at /);
      },
    );
  }
});

describe("the demo's MCP URL in a browser or curl", () => {
  it("GET answers a short text saying what the URL is for, not a bare 406", async () => {
    const cli = startCli(["demo", "--port", "0"]);
    try {
      const line = await cli.waitFor(/Paid MCP server: +http:\/\/\S+\/mcp/);
      const url = line.split(/\s+/).at(-1) ?? "";
      const response = await fetch(url, { headers: { accept: "text/html,*/*" } });
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe("POST");
      expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
      const text = await response.text();
      expect(text).toContain("This is an MCP server");
      expect(text).toContain(`claude mcp add --transport http NAME ${url}`);
    } finally {
      cli.child.kill("SIGINT");
      expect(await cli.exited).toBe(0);
    }
  });
});
