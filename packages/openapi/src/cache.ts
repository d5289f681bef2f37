import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, isAbsolute, join } from "node:path";

/** The user's cache directory: `$XDG_CACHE_HOME/polar-mcp`, else `~/.cache/polar-mcp`. */
export function cacheDirectory(env: Record<string, string | undefined> = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, "polar-mcp");
  return join(env.HOME || homedir(), ".cache", "polar-mcp");
}

/** The cached document of one API version. */
export function cachedDocumentPath(directory: string, version: string): string {
  return join(directory, "openapi", `${version}.openapi.json`);
}

/** The cached text, or undefined when nothing is cached. */
export function readCachedText(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

/** Writes the cache through a temporary file and a rename, so a reader never sees half a file. */
export function writeCachedText(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}
