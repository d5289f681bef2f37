// The emulator's Node server keeps idle connections long enough for pooled clients: Node's
// 5 s default resets sockets that client pools still hold, so a later request meets ECONNRESET.
import { Agent, request } from "node:http";
import type { Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/index.js";

let running: RunningEmulator;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

beforeAll(async () => {
  running = await startEmulator({ seed: "demo" });
});
afterAll(async () => {
  agent.destroy();
  await running.close();
});

function get(
  path: string,
): Promise<{ status: number; keepAlive: string | string[] | undefined; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${running.url}${path}`,
      { agent, headers: { authorization: `Bearer ${running.seed!.accessToken}` } },
      (res) => {
        res.resume();
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            keepAlive: res.headers["keep-alive"],
            socket: req.socket!,
          }),
        );
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe("emulator HTTP server keep-alive", () => {
  it("announces a 65 s idle timeout and serves pooled requests on one connection", async () => {
    const first = await get("/v1/products/");
    expect(first.status).toBe(200);
    expect(first.keepAlive).toBe("timeout=65");
    const second = await get("/v1/customers/");
    expect(second.status).toBe(200);
    expect(second.socket).toBe(first.socket);
  });
});
