// Compatibility matrix, @polar-sh/ingestion 0.4.2 (SDK 0.41.5), unmodified: every strategy
// (DeltaTime with a cost, Stream, LLM through the AI SDK, S3 through the AWS SDK) and the
// OpenTelemetry exporter, whose child spans are exported before their parent. The flows run
// in a plain Node process (ingestion/flows.mjs): the test runner's `module` condition would
// load builds of @opentelemetry/api that Node cannot; the events are checked here.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../packages/emulator/src/index.js";
import { clientDir, ensureClientInstalled } from "./install.js";

interface EventRead {
  id: string;
  name: string;
  customer_id: string | null;
  external_customer_id: string | null;
  parent_id: string | null;
  metadata: Record<string, unknown>;
}
interface FlowsOutput {
  deltaTime: number;
  llmText: string;
  s3Status: number;
  exported: { spans: string[]; code: number }[];
}

let running: RunningEmulator;
let flows: FlowsOutput;
beforeAll(async () => {
  await ensureClientInstalled("ingestion");
  running = await startEmulator({ seed: "demo" });
  const seed = running.seed!;
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      [join(clientDir("ingestion"), "flows.mjs")],
      {
        cwd: clientDir("ingestion"),
        timeout: 60_000,
        env: {
          PATH: process.env.PATH ?? "",
          POLAR_SERVER_URL: running.url,
          POLAR_ACCESS_TOKEN: seed.accessToken,
          CUSTOMER_ID: seed.customerId,
          EXTERNAL_CUSTOMER_ID: seed.externalCustomerId,
        },
      },
      (error, out, err) => (error ? reject(new Error(`flows.mjs failed: ${err}`)) : resolve(out)),
    );
  });
  flows = JSON.parse(stdout.trim().split("\n").pop()!) as FlowsOutput;
}, 320_000);
afterAll(async () => {
  await running?.close();
});

/** The events named `name`, polled until `count` arrived (strategies ingest in background). */
async function eventsNamed(name: string, count = 1): Promise<EventRead[]> {
  for (let i = 0; i < 500; i++) {
    const res = await fetch(`${running.url}/v1/events/?limit=100`, {
      headers: { authorization: `Bearer ${running.seed!.accessToken}` },
    });
    const page = (await res.json()) as { items: EventRead[] };
    const found = page.items.filter((e) => e.name === name);
    if (found.length >= count) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no ${count} event(s) named ${name} arrived`);
}

describe("@polar-sh/ingestion 0.4.2 (@polar-sh/sdk 0.41.5)", () => {
  it("DeltaTime: the elapsed time, with the cost the strategy resolves", async () => {
    expect(flows.deltaTime).toBe(250);
    const [event] = await eventsNamed("compat-delta-time");
    expect(event!.customer_id).toBe(running.seed!.customerId);
    expect(event!.metadata).toMatchObject({ deltaTime: 250, strategy: "DeltaTime" });
    expect(event!.metadata._cost).toMatchObject({ currency: "usd" });
    expect(Number((event!.metadata._cost as { amount: unknown }).amount)).toBe(500);
  });

  it("Stream: the bytes that went through, for an external customer id", async () => {
    const [event] = await eventsNamed("compat-stream");
    expect(event!.external_customer_id).toBe(running.seed!.externalCustomerId);
    expect(event!.metadata).toMatchObject({ bytes: 15, strategy: "Stream" });
  });

  it("LLM: token usage of an AI SDK call, as `_llm` metadata", async () => {
    expect(flows.llmText).toBe("hello");
    const [event] = await eventsNamed("compat-llm");
    expect(event!.metadata).toMatchObject({ strategy: "LLM", totalTokens: 42 });
    expect(event!.metadata._llm).toMatchObject({
      input_tokens: 12,
      output_tokens: 30,
      total_tokens: 42,
    });
  });

  it("S3: the object the AWS SDK put, against a local S3 endpoint", async () => {
    expect(flows.s3Status).toBe(200);
    const [event] = await eventsNamed("compat-s3");
    expect(event!.metadata).toMatchObject({
      strategy: "S3",
      bucket: "uploads",
      key: "a.txt",
      contentType: "text/plain",
      bytes: 12,
    });
  });

  it("OpenTelemetry exporter: children exported before their parent are kept and linked to it", async () => {
    // Each span is exported on its own as it ends: both children, then the parent.
    expect(flows.exported.map((e) => e.spans[0])).toEqual([
      "compat-otel-llm",
      "compat-otel-tool",
      "compat-otel-request",
    ]);
    expect(flows.exported.map((e) => e.code)).toEqual([0, 0, 0]);
    const [parent] = await eventsNamed("compat-otel-request");
    const [llm] = await eventsNamed("compat-otel-llm");
    const [tool] = await eventsNamed("compat-otel-tool");
    expect(parent!.parent_id).toBeNull();
    expect(llm!.parent_id).toBe(parent!.id);
    expect(tool!.parent_id).toBe(parent!.id);
  });
});
