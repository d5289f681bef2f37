export { createEmulator } from "./emulator.js";
export type { Emulator, EmulatorOptions } from "./emulator.js";
export { startEmulator } from "./server.js";
export type { RunningEmulator, StartEmulatorOptions } from "./server.js";
export type { DemoSeed } from "./seed/demo.js";
export { EmulatorError } from "./errors.js";
export { SUPPORTED_VERSIONS } from "./http/app.js";
export { loadDocument, loadDocumentFromUrl, listOperations } from "./openapi/document.js";
export type { OpenApiDocument, OperationSpec } from "./openapi/document.js";
