import type { IncomingMessage, ServerResponse } from "node:http";
import type { WebhookHandler } from "./webhook-handler.js";

/** Adapts a web-standard handler to `node:http` (Express, Fastify's raw request, plain Node). */
export function toNodeHandler(
  handler: WebhookHandler,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers))
      if (typeof value === "string") headers.set(name, value);
    const response = await handler(
      new Request(`http://localhost${req.url ?? "/"}`, {
        method: req.method ?? "POST",
        headers,
        ...(req.method === "POST" ? { body: Buffer.concat(chunks) } : {}),
      }),
    );
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  };
}
