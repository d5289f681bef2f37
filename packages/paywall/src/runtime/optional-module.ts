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
 * native binding cannot load). Resolved from the app's entry script, else from the working
 * directory: where the app's own dependencies are installed. The answer is cached per
 * process.
 */
export function loadOptionalModule(name: string): OptionalModule {
  const known = loaded.get(name);
  if (known) return known;
  // The app's entry script, then the working directory: never this file's own
  // `import.meta.url`, which bundlers inline as the build machine's path.
  const bases: string[] = [];
  if (process.argv[1]) bases.push(pathToFileURL(process.argv[1]).href);
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
