// Runs once before the test files: the tests' cache of Polar's OpenAPI document lives in a
// temporary folder (never the user's ~/.cache), and the document is resolved once there, so
// synchronous callers (createEmulator) find it even in a clone without ../shared.
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveOpenApiDocument } from "../packages/openapi/src/index.js";

export default async function setup(): Promise<void> {
  process.env.XDG_CACHE_HOME ??= join(tmpdir(), "polar-mcp-test-cache");
  await resolveOpenApiDocument();
}
