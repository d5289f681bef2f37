// close() with a request in flight: the response is written, then the connection ends, instead
// of staying open for the 65 s keep-alive and holding close() (a client's last request, e.g. a
// paywall's background read, often is in flight when a test closes the emulator).
import { connect } from "node:net";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { startEmulator } from "../src/index.js";

describe("startEmulator(...).close()", () => {
  it("answers a request still arriving when close() is called, then ends its keep-alive connection so close() resolves", async () => {
    const running = await startEmulator({ seed: "demo" });
    const { port } = new URL(running.url);
    const socket = connect(Number(port), "127.0.0.1");
    await once(socket, "connect");
    const body = JSON.stringify({ name: "late" });
    // Headers and half the body: the request is in flight on a keep-alive connection.
    socket.write(
      `POST /__emulator/organizations HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: keep-alive\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n` +
        body.slice(0, 5),
    );
    let received = "";
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("utf8");
    });
    const ended = once(socket, "close");
    const closing = running.close();
    socket.write(body.slice(5));
    await closing;
    await ended;
    expect(received).toMatch(/^HTTP\/1\.1 201 /);
    expect(received).toContain('"name":"late"');
  });
});
