// Stand-in for xmcp's `xmcp/headers` in tests: xmcp keeps each HTTP request's headers in
// async context for its tools; this does the same with AsyncLocalStorage. (xmcp itself
// needs MCP SDK v2 and React peers, which this repository does not install.)
import { AsyncLocalStorage } from "node:async_hooks";

const store = new AsyncLocalStorage<Record<string, string | undefined>>();

export function headers(): Record<string, string | undefined> {
  return store.getStore() ?? {};
}

export function runWithHeaders<T>(value: Record<string, string | undefined>, fn: () => T): T {
  return store.run(value, fn);
}
