// Bench child, the baseline: a bare Hono app on the same server adapter, one JSON endpoint.
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import type { AddressInfo } from "node:net";

const app = new Hono();
app.post("/v1/license-keys/validate", async (c) => c.json({ ok: true, body: await c.req.json() }));
app.get("/", (c) => c.text("ok"));
const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}`, seed: null })}\n`);
});
