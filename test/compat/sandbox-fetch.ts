// Polar's adapters (@polar-sh/express, @polar-sh/hono, @polar-sh/nextjs) take only
// `server: "sandbox" | "production"`, no URL. The smallest override that points them at the
// emulator unmodified: the global `fetch` their SDK calls, with Polar's sandbox API host
// rewritten to the emulator's origin. Everything else passes through.
const SANDBOX_API = "https://sandbox-api.polar.sh";

/** Routes sandbox API requests to `emulatorUrl` until the returned function is called. */
export function routeSandboxTo(emulatorUrl: string): () => void {
  const original = globalThis.fetch;
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    if (!request.url.startsWith(SANDBOX_API)) return original(request);
    const body =
      request.method === "GET" || request.method === "HEAD"
        ? null
        : new Uint8Array(await request.arrayBuffer());
    return original(emulatorUrl + request.url.slice(SANDBOX_API.length), {
      method: request.method,
      headers: request.headers,
      body,
      redirect: request.redirect,
      signal: request.signal,
    });
  };
  return () => {
    globalThis.fetch = original;
  };
}
