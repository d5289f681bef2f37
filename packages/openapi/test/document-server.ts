// A local HTTP server standing in for Polar's document URL: it answers each path with the
// body and status set for it, and counts the requests it got.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface DocumentServer {
  url(path: string): string;
  requests: string[];
  close(): Promise<void>;
}

export const documentOf = (version: string) =>
  JSON.stringify({
    openapi: "3.1.0",
    info: { title: "Polar API", version },
    paths: { "/v1/x": {} },
  });

export async function startDocumentServer(
  routes: Record<string, { status?: number; type?: string; body: string }>,
): Promise<DocumentServer> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? "");
    const route = routes[(req.url ?? "").split("?")[0] ?? ""];
    if (!route) return void res.writeHead(404).end("not found");
    res
      .writeHead(route.status ?? 200, { "content-type": route.type ?? "application/json" })
      .end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
