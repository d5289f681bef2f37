/** The Polar API version whose document polar-mcp reads (the `Polar-Version` it speaks). */
export const POLAR_API_VERSION = "2026-10";

/**
 * Where Polar publishes the document of one API version: its repository keeps each
 * versioned document under `docs/openapi/<version>.openapi.json`.
 */
export function publicDocumentUrl(version: string = POLAR_API_VERSION): string {
  return `https://raw.githubusercontent.com/polarsource/polar/main/docs/openapi/${version}.openapi.json`;
}

/** The document the live API serves itself (not pinned to a version; documented, not fetched). */
export const POLAR_API_DOCUMENT_URL = "https://api.polar.sh/openapi.json";
