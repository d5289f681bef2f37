import { createHash, randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { extname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { EmulatorError } from "../errors.js";

/** The package root, from `src/dashboard/` (a checkout) or `dist/dashboard/` (published). */
const PACKAGE_ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** The dashboard's sources: present in a checkout, not in the published package. */
const UI_SOURCES = join(PACKAGE_ROOT, "ui");
/** What `npm run build` writes and the published package ships. */
const PUBLISHED_ASSETS = join(PACKAGE_ROOT, "dist", "ui");
/** Builds made on first use in a checkout, one folder per hash of the sources. */
const CACHE = join(PACKAGE_ROOT, "dist", "ui-cache");

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
};

export interface DashboardAsset {
  body: Uint8Array<ArrayBuffer>;
  contentType: string;
}

/**
 * Where the dashboard's built files are. In a checkout (the CLI runs TypeScript sources)
 * the sources under `ui/` are hashed and built with Vite on first use into
 * `dist/ui-cache/<hash>/`, so an edited source is rebuilt and no manual build step is
 * needed; the folder appears whole (built aside, then renamed), so processes starting
 * together never serve half a build. The published package serves `dist/ui/`.
 */
export class DashboardAssets {
  private ready: Promise<string> | undefined;

  private readonly sources: string;
  private readonly published: string;
  private readonly cache: string;

  /** The folders default to this package's; tests point them elsewhere. */
  constructor(folders: { sources?: string; published?: string; cache?: string } = {}) {
    this.sources = folders.sources ?? UI_SOURCES;
    this.published = folders.published ?? PUBLISHED_ASSETS;
    this.cache = folders.cache ?? CACHE;
  }

  /** The built file at `path` (relative to the build's root), or undefined. */
  async read(path: string): Promise<DashboardAsset | undefined> {
    const root = await this.root();
    const file = resolve(root, path);
    if (file !== root && !file.startsWith(root + sep)) return undefined;
    if (!existsSync(file) || !statSync(file).isFile()) return undefined;
    return {
      body: Uint8Array.from(readFileSync(file)),
      contentType: CONTENT_TYPES[extname(file)] ?? "application/octet-stream",
    };
  }

  root(): Promise<string> {
    this.ready ??= this.locate().catch((error: unknown) => {
      this.ready = undefined; // a later request tries again
      throw error;
    });
    return this.ready;
  }

  private async locate(): Promise<string> {
    if (!existsSync(join(this.sources, "index.html"))) {
      if (existsSync(join(this.published, "index.html"))) return this.published;
      throw new EmulatorError(
        "dashboard_missing",
        "The dashboard is not built: run `npm run build -w packages/emulator`.",
      );
    }
    const target = join(this.cache, hashSources(this.sources));
    if (existsSync(join(target, "index.html"))) return target;
    const aside = `${target}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
    await buildDashboard(this.sources, aside);
    try {
      renameSync(aside, target);
    } catch (error) {
      // Another process finished the same build first: use its copy.
      rmSync(aside, { recursive: true, force: true });
      if (!existsSync(join(target, "index.html"))) throw error;
    }
    pruneCache(this.cache, target);
    return target;
  }
}

/** Builds the dashboard with Vite (a dev dependency: only a checkout builds). */
export async function buildDashboard(sources: string, outDir: string): Promise<void> {
  const vite = await import("vite");
  await vite.build({
    root: sources,
    configFile: join(sources, "vite.config.ts"),
    logLevel: "warn",
    build: { outDir, emptyOutDir: true },
  });
}

/** Builds of older sources, unused for a day, are removed (a checkout's edits pile up). */
function pruneCache(cache: string, kept: string): void {
  const dayAgo = Date.now() - 86_400_000;
  for (const entry of readdirSync(cache)) {
    const path = join(cache, entry);
    if (path !== kept && statSync(path).mtimeMs < dayAgo) {
      rmSync(path, { recursive: true, force: true });
    }
  }
}

/** A short hash of every file under `sources`: a new one means a new build. */
export function hashSources(sources: string): string {
  const hash = createHash("sha256");
  for (const file of listFiles(sources)) {
    hash.update(relative(sources, file));
    hash.update(readFileSync(file));
  }
  return hash.digest("hex").slice(0, 16);
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.name !== "node_modules" && !entry.name.startsWith("."))
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) =>
      entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
    );
}
