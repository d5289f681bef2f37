// Bench child, the baseline in plain JavaScript: a bare Hono app on the same adapter.
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const app = new Hono();
app.get("/", (c) => c.text("ok"));
app.post("/v1/license-keys/validate", async (c) => c.json({ ok: true, body: await c.req.json() }));
const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => {
  const { port } = server.address();
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}`, seed: null })}\n`);
});
