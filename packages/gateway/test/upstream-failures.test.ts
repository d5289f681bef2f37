// A Polar that cannot be reached: the tool's error says why (the network error's code, or
// no answer within the timeout), and the gateway logs one line naming the cause, without
// the account's token.
import { createServer as createNetServer } from "node:net";
import { Writable } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import {
  callTool,
  createAccount,
  createServer,
  startWorld,
  textOf,
  type Json,
} from "./helpers/world.js";

function memoryLogger() {
  const lines: Json[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: pino({ level: "info" }, stream) };
}

// A port nothing listens on: bound, then released.
async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("Polar not reached", () => {
  it("a refused connection: the tool says ECONNREFUSED, one warn line names the cause", async () => {
    const log = memoryLogger();
    const world = await startWorld({ logger: log.logger });
    try {
      const token = "polar_oat_unreachable_token_value";
      const created = await world.admin("POST", "/accounts", {
        name: "Gone",
        access_token: token,
        base_url: `http://127.0.0.1:${await closedPort()}`,
      });
      expect(created.status).toBe(201);
      const accountId = String(created.json.id);
      const server = await createServer(world, accountId);
      const res = await callTool(world, server.url, "customers_list");
      expect(res.result?.isError).toBe(true);
      expect(textOf(res.result)).toMatch(/Could not reach Polar .*ECONNREFUSED/);
      const warnings = log.lines.filter((l) => l.msg === "Polar not reached");
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ level: 40, account_id: accountId });
      expect(warnings[0].error.cause.code).toBe("ECONNREFUSED");
      expect(JSON.stringify(log.lines)).not.toContain(token);
    } finally {
      await world.close();
    }
  });

  it("no answer: the tool says how long it waited", async () => {
    const world = await startWorld({
      upstreamTimeoutMs: 50,
      fetch: (input, init) =>
        new Promise<Response>((_, reject) =>
          init?.signal?.addEventListener("abort", () => reject(new Error("aborted"))),
        ),
    });
    try {
      const accountId = await createAccount(world);
      const server = await createServer(world, accountId);
      const res = await callTool(world, server.url, "customers_list");
      expect(res.result?.isError).toBe(true);
      expect(textOf(res.result)).toContain("no answer within 50 ms");
    } finally {
      await world.close();
    }
  });
});
