// Issue 15 across processes: two replicas sharing Redis validate a key once for the fleet,
// and a webhook reaching one replica reaches the other; the request budget is the fleet's.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { startEmulator } from "@polar-mcp/emulator";
import { Redis } from "ioredis";
import { describe, expect, it, vi } from "vitest";
import { RedisBucketStore } from "../src/budget/bucket-store.js";
import { RequestBudget } from "../src/budget/request-budget.js";
import { freePort, startRedis } from "../../../test/e2e/fixtures/processes.js";

const WORKER = fileURLToPath(new URL("./fixtures/sync-worker.ts", import.meta.url));

function replica(env: Record<string, string>) {
  const child = spawn(
    process.execPath,
    ["--conditions=polar-mcp-source", "--import", "tsx", WORKER],
    {
      env: { ...process.env, ...env },
      stdio: ["pipe", "pipe", "pipe"],
    },
  );
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const lines: string[] = [];
  const waiters: (() => void)[] = [];
  createInterface({ input: child.stdout! }).on("line", (line) => {
    lines.push(line);
    for (const wake of waiters.splice(0)) wake();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const next = (test: (line: string) => boolean, from: number) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const found = lines.slice(from).find(test);
        if (found) resolve(found);
        else waiters.push(check);
      };
      void exited.then(() => reject(new Error(`replica exited: ${stderr.slice(-1500)}`)));
      check();
    });
  return {
    ready: () => next((l) => l === "ready", 0),
    async call(key: string) {
      const from = lines.length;
      child.stdin!.write(`call ${key}\n`);
      const [, code, validations, states] = (
        await next((l) => l.startsWith("result "), from)
      ).split(" ");
      return { code, validations: Number(validations), states: Number(states) };
    },
    async exit() {
      child.stdin!.write("exit\n");
      await exited;
    },
  };
}

describe("kept standings across replicas (real processes, real Redis)", () => {
  it(
    "a key is validated once for the fleet; a webhook to one replica denies on the other",
    { timeout: 120_000 },
    async () => {
      const redis = await startRedis();
      const polar = await startEmulator({ db: ":memory:", seed: "demo" });
      const seed = polar.seed!;
      const api = async <T>(method: string, path: string, body?: unknown) => {
        const res = await fetch(`${polar.url}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${seed.accessToken}`,
            "content-type": "application/json",
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        if (!res.ok) throw new Error(`${method} ${path} → ${res.status}`);
        return (await res.json()) as T;
      };
      const env = {
        POLAR_TOKEN: seed.accessToken,
        POLAR_ORGANIZATION_ID: seed.organizationId,
        POLAR_PRODUCT_ID: seed.productId,
        POLAR_BASE_URL: polar.url,
        REDIS_URL: redis.url,
      };
      const a = replica({ ...env, WEBHOOK_PORT: String(await freePort()) });
      const b = replica(env);
      try {
        await Promise.all([a.ready(), b.ready()]);
        // A customer both replicas have never seen (after their start-up read).
        const customer = await api<{ id: string }>("POST", "/v1/customers/", {
          email: "fleet@example.com",
        });
        const grant = await api<{ properties: { license_key_id: string } }>(
          "POST",
          "/__emulator/benefit-grants",
          {
            customer_id: customer.id,
            benefit_id: seed.benefitIds.licenseKeys,
          },
        );
        await api("POST", "/__emulator/benefit-grants", {
          customer_id: customer.id,
          benefit_id: seed.benefitIds.meterCredit,
        });
        const { key } = await api<{ key: string }>(
          "GET",
          `/v1/license-keys/${grant.properties.license_key_id}`,
        );

        // Replica A hears of these grants by webhook; let those deliveries end first.
        const pendingWebhooks = () =>
          (
            polar.emulator.context.store.db
              .prepare(
                "SELECT count(*) AS n FROM documents WHERE collection = 'webhook_events' AND json_extract(data, '$.status') = 'pending'",
              )
              .get() as { n: number }
          ).n;
        await vi.waitFor(() => expect(pendingWebhooks()).toBe(0), {
          timeout: 30_000,
          interval: 20,
        });

        expect(await a.call(key)).toEqual({ code: "license_key_valid", validations: 1, states: 1 });
        expect(await b.call(key)).toEqual({ code: "license_key_valid", validations: 0, states: 0 });

        // Polar takes the credits away and tells replica A only (its registered webhook).
        await api("POST", "/__emulator/benefit-grants/revoke", {
          customer_id: customer.id,
          benefit_id: seed.benefitIds.meterCredit,
        });
        let onB = await b.call(key);
        while (onB.code === "license_key_valid") onB = await b.call(key);
        expect(onB.code).toBe("meter_credit_exhausted");
        expect((await a.call(key)).code).toBe("meter_credit_exhausted");
      } finally {
        await Promise.all([a.exit(), b.exit()]);
        await polar.close();
        await redis.stop();
      }
    },
  );

  it(
    "the request budget is the fleet's: two replicas' connections draw from one bucket, a 429 pauses both",
    { timeout: 60_000 },
    async () => {
      const redis = await startRedis();
      const connections = [new Redis(redis.url), new Redis(redis.url)];
      try {
        const settings = { requestsPerMinute: 60, sweepsPerMinute: 20, firstSightWaitMs: 0 };
        const budgets = connections.map(
          (c) => new RequestBudget(new RedisBucketStore(c, "fleet:"), settings),
        );
        let granted = 0;
        for (let open = [true, true]; open.some(Boolean);)
          for (const [i, budget] of budgets.entries()) {
            if (!open[i]) continue;
            await budget.acquire("ingest", 0).then(
              () => (granted += 1),
              () => (open[i] = false),
            );
          }
        // Capacity 10 (60/min ÷ 6) once for both, plus at most a token or two refilled meanwhile.
        expect(granted).toBeGreaterThanOrEqual(10);
        expect(granted).toBeLessThanOrEqual(12);
        // Sweeps may not take the last half of the bucket, whoever asks.
        await expect(budgets[1]!.acquire("sweep", 0)).rejects.toThrow(/budget/);

        budgets[0]!.rateLimited(30);
        await new Promise((resolve) => setTimeout(resolve, 50));
        const fresh = new RequestBudget(new RedisBucketStore(connections[1]!, "fleet:"), {
          ...settings,
          requestsPerMinute: 600_000,
        });
        await expect(fresh.acquire("ingest", 1_000)).rejects.toThrow(/budget/);
      } finally {
        for (const c of connections) c.disconnect();
        await redis.stop();
      }
    },
  );
});
