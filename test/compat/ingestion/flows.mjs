// @polar-sh/ingestion's documented flows, run by Node as an app runs them (the test runner
// resolves packages with a `module` condition that picks builds Node cannot load). Reads
// POLAR_SERVER_URL, POLAR_ACCESS_TOKEN, CUSTOMER_ID and EXTERNAL_CUSTOMER_ID; prints one
// JSON line of what the clients answered. The test reads the events off the emulator.
import { createServer } from "node:http";
import { Readable } from "node:stream";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { context, trace } from "@opentelemetry/api";
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { Ingestion } from "@polar-sh/ingestion";
import { PolarTraceExporter } from "@polar-sh/ingestion/opentelemetry";
import { DeltaTimeStrategy } from "@polar-sh/ingestion/strategies/DeltaTime";
import { LLMStrategy } from "@polar-sh/ingestion/strategies/LLM";
import { S3Strategy } from "@polar-sh/ingestion/strategies/S3";
import { StreamStrategy } from "@polar-sh/ingestion/strategies/Stream";
import { generateText } from "ai";
import { MockLanguageModelV2 } from "ai/test";

const options = {
  accessToken: process.env.POLAR_ACCESS_TOKEN,
  serverURL: process.env.POLAR_SERVER_URL,
};
const customerId = process.env.CUSTOMER_ID;
const externalCustomerId = process.env.EXTERNAL_CUSTOMER_ID;
const polar = Ingestion(options);
const out = {};

// DeltaTime, with a cost resolver.
let now = 1_000;
const delta = polar
  .strategy(new DeltaTimeStrategy(() => now))
  .cost((ctx) => ({ amount: ctx.deltaTime * 2, currency: "usd" }))
  .ingest("compat-delta-time");
const stop = delta.client({ customerId })();
now += 250;
out.deltaTime = stop();

// Stream, for an external customer id.
const stream = polar
  .strategy(new StreamStrategy(Readable.from([Buffer.alloc(10), Buffer.alloc(5)])))
  .ingest("compat-stream")
  .client({ externalCustomerId });
for await (const chunk of stream) void chunk;

// LLM, through the AI SDK.
const model = new MockLanguageModelV2({
  doGenerate: async () => ({
    content: [{ type: "text", text: "hello" }],
    finishReason: "stop",
    usage: { inputTokens: 12, outputTokens: 30, totalTokens: 42 },
    warnings: [],
  }),
});
const llm = polar.strategy(new LLMStrategy(model)).ingest("compat-llm");
out.llmText = (await generateText({ model: llm.client({ customerId }), prompt: "hi" })).text;

// S3, against a local S3 endpoint.
const s3 = createServer((req, res) => {
  req.resume();
  req.on("end", () => res.writeHead(200, { etag: '"compat"' }).end());
});
await new Promise((resolve) => s3.listen(0, "127.0.0.1", resolve));
const s3Client = new S3Client({
  endpoint: `http://127.0.0.1:${s3.address().port}`,
  region: "us-east-1",
  forcePathStyle: true,
  credentials: { accessKeyId: "compat", secretAccessKey: "compat" },
});
const put = await polar
  .strategy(new S3Strategy(s3Client))
  .ingest("compat-s3")
  .client({ customerId })
  .send(
    new PutObjectCommand({
      Bucket: "uploads",
      Key: "a.txt",
      Body: "twelve bytes",
      ContentType: "text/plain",
    }),
  );
out.s3Status = put.$metadata.httpStatusCode;
s3.close();

// OpenTelemetry: children end, and are exported, before their parent.
const exported = [];
const exporter = new PolarTraceExporter(options);
const recording = {
  export: (spans, done) =>
    exporter.export(spans, (result) => {
      exported.push({ spans: spans.map((s) => s.name), code: result.code });
      done(result);
    }),
  shutdown: () => exporter.shutdown(),
};
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(recording)] });
const tracer = provider.getTracer("compat");
const attributes = { externalCustomerId };
const parent = tracer.startSpan("compat-otel-request", { attributes });
const inParent = trace.setSpan(context.active(), parent);
for (const name of ["compat-otel-llm", "compat-otel-tool"])
  tracer.startSpan(name, { attributes }, inParent).end();
parent.end();
await provider.forceFlush();
await provider.shutdown();
out.exported = exported;

console.log(JSON.stringify(out));
