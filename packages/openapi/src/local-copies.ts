import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The copy `npm run build` places inside this package (`data/`), shipped in its tarball. */
export function shippedDocumentPath(version: string): string {
  return fileURLToPath(new URL(`../data/${version}.openapi.json`, import.meta.url));
}

/**
 * Where a development checkout finds the document: the workspace's sibling
 * `shared/polar-openapi/` folder, looked at only when running from `src/` (never from an
 * installed package).
 */
export function checkoutDocumentPath(version: string): string | undefined {
  if (!import.meta.url.includes("/packages/openapi/src/")) return undefined;
  return fileURLToPath(
    new URL(`../../../../shared/polar-openapi/${version}.openapi.json`, import.meta.url),
  );
}

/** The local copies that exist, in the order they are tried. */
export function defaultLocalCopies(version: string): string[] {
  return [shippedDocumentPath(version), checkoutDocumentPath(version)].filter(
    (path): path is string => path !== undefined && existsSync(path),
  );
}
