// A real better-auth server on SQLite (better-sqlite3) with @polar-sh/better-auth 1.8.4 and
// @polar-sh/sdk 0.47.1, unmodified but for the SDK's `serverURL`, driven over HTTP as a
// browser app drives it: sign up, checkout, customer portal, usage, webhooks, delete user.
// Run by plain Node (as an app runs); prints one JSON line of what it saw. Reads
// POLAR_SERVER_URL and POLAR_ACCESS_TOKEN, PRODUCT_ID (the product behind slug "pro").
import { createServer } from "node:http";
import { polar, checkout, portal, usage, webhooks } from "@polar-sh/better-auth";
import { Polar } from "@polar-sh/sdk";
import { betterAuth } from "better-auth";
import { getMigrations } from "better-auth/db/migration";
import { toNodeHandler } from "better-auth/node";
// The workspace's better-sqlite3 (resolved from the repository root, built once there).
import Database from "better-sqlite3";

const serverURL = process.env.POLAR_SERVER_URL;
const accessToken = process.env.POLAR_ACCESS_TOKEN;
const emulator = (path, init = {}) =>
  fetch(`${serverURL}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json" },
  });
const out = { payloads: [] };

// The webhook secret is plugin configuration: the endpoint is made first, pointed later.
const endpoint = await (
  await emulator("/v1/webhooks/endpoints", {
    method: "POST",
    body: JSON.stringify({
      url: "http://127.0.0.1:9/pending",
      format: "raw",
      events: ["order.paid", "customer.created", "subscription.active"],
    }),
  })
).json();

let handler = (_req, res) => res.writeHead(503).end();
const server = createServer((req, res) => handler(req, res));
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const baseURL = `http://127.0.0.1:${server.address().port}`;
out.baseURL = baseURL;

const auth = betterAuth({
  baseURL,
  secret: "polar-mcp-compat-better-auth-secret-0123456789",
  database: new Database(":memory:"),
  emailAndPassword: { enabled: true },
  user: { deleteUser: { enabled: true } },
  telemetry: { enabled: false },
  plugins: [
    polar({
      client: new Polar({ accessToken, serverURL }),
      createCustomerOnSignUp: true,
      use: [
        checkout({
          products: [{ productId: process.env.PRODUCT_ID, slug: "pro" }],
          successUrl: "/success?checkout_id={CHECKOUT_ID}",
          authenticatedUsersOnly: true,
        }),
        portal(),
        usage(),
        webhooks({
          secret: endpoint.secret,
          onPayload: async (payload) => {
            out.payloads.push({ type: payload.type, id: payload.data.id });
          },
        }),
      ],
    }),
  ],
});
const { runMigrations } = await getMigrations(auth.options);
await runMigrations();
handler = toNodeHandler(auth);
await emulator(`/v1/webhooks/endpoints/${endpoint.id}`, {
  method: "PATCH",
  body: JSON.stringify({ url: `${baseURL}/api/auth/polar/webhooks` }),
});

let cookie = "";
async function app(method, path, body) {
  const res = await fetch(`${baseURL}/api/auth${path}`, {
    method,
    headers: { "content-type": "application/json", origin: baseURL, cookie },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const set = res.headers.getSetCookie().map((c) => c.split(";")[0]);
  if (set.length > 0) cookie = set.join("; ");
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const email = `compat-${Date.now()}@example.com`;
const signUp = await app("POST", "/sign-up/email", {
  email,
  password: "correct horse 42",
  name: "Compat",
});
out.signUp = { status: signUp.status, userId: signUp.body?.user?.id, email };
out.checkout = await app("POST", "/checkout", { slug: "pro" });
out.portal = await app("GET", "/customer/portal");
out.usage = await app("POST", "/usage/ingest", { event: "compat-better-auth", metadata: { n: 1 } });
out.state = await app("GET", "/customer/state");

// A purchase by this customer: order.paid reaches the better-auth webhook endpoint.
const triggered = await fetch(`${serverURL}/__emulator/trigger`, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ event: "order.paid" }),
});
out.trigger = await triggered.json();
for (let i = 0; i < 1000 && !out.payloads.some((p) => p.type === "order.paid"); i++)
  await new Promise((resolve) => setTimeout(resolve, 10));

out.deleteUser = await app("POST", "/delete-user", { password: "correct horse 42" });
server.close();
console.log(JSON.stringify(out));
