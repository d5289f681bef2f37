import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export type OptionalModule = { ok: true; module: unknown } | { ok: false; reason: string };

const loaded = new Map<string, OptionalModule>();

type GetBuiltinModule = (id: "node:module") => { createRequire: typeof createRequire };

/**
 * `createRequire`, fetched so no bundler can see it: rspack and webpack rewrite a statically
 * imported `createRequire(import.meta.url)(name)` into their own module context, where a
 * package that was not bundled is never found.
 */
function runtimeCreateRequire(): typeof createRequire {
  const getBuiltinModule = (process as { getBuiltinModule?: GetBuiltinModule }).getBuiltinModule;
  return getBuiltinModule?.("node:module").createRequire ?? createRequire;
}

/**
 * Loads an optional peer dependency at run time, out of a bundler's reach: the name is a
 * value, not a static import, so rspack (xmcp), esbuild or webpack never pack it (a packed
 * native binding cannot load). Resolved from this file's location, else from the working
 * directory (a bundle's `import.meta.url` may not point into node_modules). The answer is
 * cached per process.
 */
export function loadOptionalModule(name: string): OptionalModule {
  const known = loaded.get(name);
  if (known) return known;
  const bases: string[] = [];
  if (typeof import.meta.url === "string" && import.meta.url.startsWith("file:"))
    bases.push(import.meta.url);
  bases.push(pathToFileURL(join(process.cwd(), "package.json")).href);
  let result: OptionalModule = { ok: false, reason: `${name} is not installed` };
  for (const base of bases) {
    try {
      result = { ok: true, module: runtimeCreateRequire()(base)(name) };
      break;
    } catch (error) {
      // Installed but not loadable (a native binding for another platform, not built): say so.
      if ((error as { code?: unknown }).code !== "MODULE_NOT_FOUND")
        result = { ok: false, reason: `${name} is installed but does not load` };
    }
  }
  loaded.set(name, result);
  return result;
}
