import { cacheDirectory, cachedDocumentPath, readCachedText, writeCachedText } from "./cache.js";
import { describeSource, parseOpenApiDocument, type OpenApiDocument } from "./document.js";
import { OpenApiError } from "./errors.js";
import { defaultLocalCopies } from "./local-copies.js";
import { fetchDocumentText, FetchFailure, isUrl, readDocumentFile } from "./sources.js";
import { POLAR_API_VERSION, publicDocumentUrl } from "./version.js";

/** Options of {@link resolveOpenApiDocument}; every field has a default. */
export interface ResolveOpenApiOptions {
  /** An explicit document: a parsed object (used as given), a file path or an http(s) URL. */
  spec?: string | OpenApiDocument | undefined;
  /** Environment read for `POLAR_OPENAPI`, `XDG_CACHE_HOME` and `HOME` (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Injected fetch (default `globalThis.fetch`). */
  fetch?: typeof globalThis.fetch;
  /** API version the document must be (`info.version`; default {@link POLAR_API_VERSION}). */
  version?: string;
  /** Cache directory (default `$XDG_CACHE_HOME/polar-mcp`, else `~/.cache/polar-mcp`). */
  cacheDir?: string;
  /** Polar's public document URL (default {@link publicDocumentUrl} of the version). */
  publicUrl?: string;
  /** Local copies tried after `POLAR_OPENAPI` (default: the shipped copy, then a checkout's). */
  localCopies?: readonly string[];
  /** Give up on a fetch after this long (default 20 s). */
  timeoutMs?: number;
  /** Where notices go (fetched and cached, served from cache); default stderr. */
  log?: (line: string) => void;
}

interface Settings {
  version: string;
  env: Record<string, string | undefined>;
  cacheFile: string;
  publicUrl: string;
  localCopies: readonly string[];
  fetch: typeof globalThis.fetch;
  timeoutMs: number;
  log: (line: string) => void;
}

function settingsOf(options: ResolveOpenApiOptions): Settings {
  const version = options.version ?? POLAR_API_VERSION;
  const env = options.env ?? process.env;
  return {
    version,
    env,
    cacheFile: cachedDocumentPath(options.cacheDir ?? cacheDirectory(env), version),
    publicUrl: options.publicUrl ?? publicDocumentUrl(version),
    localCopies: options.localCopies ?? defaultLocalCopies(version),
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    timeoutMs: options.timeoutMs ?? 20_000,
    log: options.log ?? ((line) => process.stderr.write(`${line}\n`)),
  };
}

/** The first source the caller named: the option, else `POLAR_OPENAPI`. */
function namedSource(
  options: ResolveOpenApiOptions,
  s: Settings,
): { source: string; label: string } | undefined {
  if (typeof options.spec === "string" && options.spec) {
    return { source: options.spec, label: "--spec" };
  }
  if (s.env.POLAR_OPENAPI) return { source: s.env.POLAR_OPENAPI, label: "POLAR_OPENAPI" };
  return undefined;
}

/**
 * Polar's OpenAPI document, from the first of: `spec` (object, file or URL),
 * `POLAR_OPENAPI` (file or URL), the copy shipped in this package (or a checkout's), the
 * cached copy, and Polar's public document for the version, fetched once and cached. A URL
 * that cannot be reached falls back to the cached copy. Every failure is an
 * {@link OpenApiError} naming `--spec`, `POLAR_OPENAPI` and what was tried.
 *
 * @example
 * const document = await resolveOpenApiDocument({ spec: process.env.MY_SPEC });
 */
export async function resolveOpenApiDocument(
  options: ResolveOpenApiOptions = {},
): Promise<OpenApiDocument> {
  if (typeof options.spec === "object" && options.spec !== null) return options.spec;
  const s = settingsOf(options);
  const named = namedSource(options, s);
  if (named) {
    if (!isUrl(named.source)) return readFile(named.source, named.label, s);
    return fetchOrCached(named.source, named.label, s);
  }
  const local = readLocalOrCached(s);
  if (local) return local;
  return fetchOrCached(s.publicUrl, "Polar's public document", s);
}

/**
 * The same resolution without the network, for synchronous callers (`createEmulator`): a
 * URL is served only from the cache; when nothing local or cached exists it says to use
 * {@link resolveOpenApiDocument} (or `startEmulator`) once, which fetches and caches.
 */
export function resolveOpenApiDocumentSync(options: ResolveOpenApiOptions = {}): OpenApiDocument {
  if (typeof options.spec === "object" && options.spec !== null) return options.spec;
  const s = settingsOf(options);
  const named = namedSource(options, s);
  if (named && !isUrl(named.source)) return readFile(named.source, named.label, s);
  if (!named) {
    const local = readLocalOrCached(s);
    if (local) return local;
  } else {
    const cached = readCache(s);
    if (cached) return cached;
  }
  const url = named?.source ?? s.publicUrl;
  throw new OpenApiError(
    "needs_fetch",
    `Polar's OpenAPI document (${s.version}) must be fetched from ${describeSource(url)} and no copy is cached at ${s.cacheFile}. ` +
      "This call is synchronous: start with startEmulator() or `await resolveOpenApiDocument()` (either fetches and caches it), " +
      "or pass spec as a file path or set POLAR_OPENAPI to a file.",
  );
}

function readFile(path: string, label: string, s: Settings): OpenApiDocument {
  return parseOpenApiDocument(readDocumentFile(path, label), `${path} (${label})`, s.version);
}

function readLocalOrCached(s: Settings): OpenApiDocument | undefined {
  const [local] = s.localCopies;
  if (local) return readFile(local, "shipped copy", s);
  return readCache(s);
}

function readCache(s: Settings): OpenApiDocument | undefined {
  const text = readCachedText(s.cacheFile);
  if (text === undefined) return undefined;
  return parseOpenApiDocument(
    text,
    `the cached copy ${s.cacheFile} (delete it to fetch again)`,
    s.version,
  );
}

async function fetchOrCached(url: string, label: string, s: Settings): Promise<OpenApiDocument> {
  const shown = describeSource(url);
  let text: string;
  try {
    text = await fetchDocumentText(url, s.fetch, s.timeoutMs);
  } catch (error) {
    if (!(error instanceof FetchFailure)) throw error;
    const cached = error.unreachable ? readCache(s) : undefined;
    if (cached) {
      s.log(`polar-mcp: ${error.message}; using the cached copy ${s.cacheFile}.`);
      return cached;
    }
    throw new OpenApiError(
      "not_found",
      `Polar's OpenAPI document (${s.version}) is not available: ${error.message}` +
        (error.unreachable ? ` and no copy is cached at ${s.cacheFile}` : "") +
        `. Set POLAR_OPENAPI to a file or URL of the document, or pass --spec FILE|URL` +
        (label === "Polar's public document" ? "" : ` (this URL came from ${label})`) +
        ".",
    );
  }
  const document = parseOpenApiDocument(text, `${shown} (${label})`, s.version);
  try {
    writeCachedText(s.cacheFile, text);
    s.log(
      `polar-mcp: fetched Polar's OpenAPI document (${s.version}) from ${shown}; cached at ${s.cacheFile}.`,
    );
  } catch (error) {
    s.log(
      `polar-mcp: fetched Polar's OpenAPI document from ${shown} but could not cache it at ${s.cacheFile} (${(error as NodeJS.ErrnoException).code ?? "write error"}); it will be fetched again next time.`,
    );
  }
  return document;
}
