import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One webhook request as the receiver got it. */
export interface Received {
  body: string;
  headers: Record<string, string>;
  status: number;
}

const flat = (headers: IncomingHttpHeaders): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]),
  );

/**
 * A webhook receiver on loopback. `failFirst` makes the first N POSTs answer 500 (then 200);
 * `accepted` lists only the 2xx ones. GET answers 200 (a success_url to land on).
 */
export async function startReceiver(options: { failFirst?: number; status?: number } = {}) {
  const all: Received[] = [];
  let failures = options.failFirst ?? 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (req.method !== "POST") {
        res.writeHead(200, { "content-type": "text/html" }).end("<h1 id='landed'>Thanks</h1>");
        return;
      }
      let status = options.status ?? 200;
      if (failures > 0) {
        failures -= 1;
        status = 500;
      }
      all.push({
        body: Buffer.concat(chunks).toString("utf8"),
        headers: flat(req.headers),
        status,
      });
      res.writeHead(status).end(status < 300 ? "ok" : "fail");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const accepted = () => all.filter((r) => r.status < 300);
  return {
    url,
    all,
    accepted,
    /** Types of the accepted deliveries, in arrival order. */
    types: () => accepted().map((r) => (JSON.parse(r.body) as { type: string }).type),
    /** Waits until `predicate` holds for what arrived (polls; deliveries are asynchronous). */
    async until(predicate: () => boolean, what = "webhooks"): Promise<void> {
      for (let i = 0; i < 1000; i++) {
        if (predicate()) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(
        `timed out waiting for ${what}; got ${JSON.stringify(all.map((r) => [r.status, JSON.parse(r.body).type]))}`,
      );
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** Every webhook event type of Polar's document. */
export const ALL_EVENT_TYPES = [
  "checkout.created",
  "checkout.updated",
  "checkout.expired",
  "customer.created",
  "customer.updated",
  "customer.deleted",
  "customer.state_changed",
  "order.created",
  "order.updated",
  "order.paid",
  "order.refunded",
  "subscription.created",
  "subscription.updated",
  "subscription.active",
  "subscription.canceled",
  "subscription.uncanceled",
  "subscription.cycled",
  "subscription.revoked",
  "refund.created",
  "refund.updated",
  "benefit_grant.created",
  "benefit_grant.cycled",
  "benefit_grant.updated",
  "benefit_grant.revoked",
] as const;
