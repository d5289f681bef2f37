export { resolveOpenApiDocument, resolveOpenApiDocumentSync } from "./resolve.js";
export type { ResolveOpenApiOptions } from "./resolve.js";
export { isOpenApiDocument, parseOpenApiDocument, describeSource } from "./document.js";
export type { OpenApiDocument } from "./document.js";
export { OpenApiError } from "./errors.js";
export type { OpenApiErrorCode } from "./errors.js";
export { cacheDirectory, cachedDocumentPath } from "./cache.js";
export { shippedDocumentPath } from "./local-copies.js";
export { POLAR_API_VERSION, POLAR_API_DOCUMENT_URL, publicDocumentUrl } from "./version.js";
