// Build step: places Polar's OpenAPI document into data/, so the published tarball carries
// it. Taken from the workspace's ../shared/polar-openapi/ when present, else POLAR_OPENAPI,
// else the user's cache, else Polar's public URL (fetched once and cached). data/ is
// git-ignored: the repository never commits the document.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { POLAR_API_VERSION, resolveOpenApiDocument, shippedDocumentPath } from "../dist/index.js";

const checkout = fileURLToPath(
  new URL(`../../../../shared/polar-openapi/${POLAR_API_VERSION}.openapi.json`, import.meta.url),
);
const target = shippedDocumentPath(POLAR_API_VERSION);
try {
  const document = await resolveOpenApiDocument({
    localCopies: existsSync(checkout) ? [checkout] : [],
  });
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, JSON.stringify(document));
  console.log(`placed Polar's OpenAPI document (${POLAR_API_VERSION}) at ${target}`);
} catch (error) {
  console.error(`place-document: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
