export { ServerError } from "./errors.js";

export { createPolarMcpServer } from "./server.js";
export {
  createPolarMcpHandler,
  type PolarMcpHandler,
  type PolarMcpRequestContext,
} from "./modern/handler.js";
export { createModernPolarMcpServer } from "./modern/server.js";
export { createPolarTools, type PolarTools } from "./core/polar-tools.js";
export {
  createPolarSignIn,
  type PolarSignIn,
  type PolarSignInOptions,
} from "./auth/polar-sign-in.js";
export {
  CLIENT_TOOL_LIMIT,
  DEFAULT_MAX_RETRY_AFTER_SECONDS,
  POLAR_PRODUCTION_BASE_URL,
  POLAR_SANDBOX_BASE_URL,
  resolveBaseUrl,
  type PolarMcpServerOptions,
  type ServerMode,
} from "./options.js";
export { DEFAULT_RESULT_BUDGET_CHARS } from "./polar-client/budget.js";
export { servePolarMcp, type ServePolarMcpOptions, type ServedPolarMcp } from "./serve.js";

export { loadOpenApiDocument, type LoadOpenApiOptions } from "./openapi/load.js";
export type { OpenApiDocument, JsonSchema, HttpMethod } from "./openapi/types.js";

export {
  buildToolCatalog,
  DEFAULT_SCHEMA_BUDGET_BYTES,
  type CatalogTool,
  type ToolCatalog,
  type ToolCatalogOptions,
} from "./catalog/catalog.js";
export type { MethodCategory, OperationKind, ToolAnnotations } from "./catalog/classify.js";
export type { InputField } from "./catalog/fields.js";
export { toolNameFromOperationId, MAX_TOOL_NAME_LENGTH } from "./catalog/naming.js";
export {
  JSON_OBJECT_DESCRIPTION,
  JSON_VALUE_DESCRIPTION,
  portableSchema,
} from "./catalog/portable.js";
export { toOpenAiStrictSchema } from "./providers/openai-strict.js";

export { createToolView, type ToolAccess, type ToolView } from "./filters/view.js";
export { METHOD_CATEGORIES, type ToolFilterOptions } from "./filters/types.js";
export { credentialKindOf, type CredentialKind } from "./credentials/credential.js";

export { DYNAMIC_TOOL_NAMES } from "./modes/dynamic.js";
export {
  DEFAULT_PORTAL_TOOLSET,
  DEFAULT_TOOLSET,
  selectToolsets,
  toolsetNames,
  TOOLSET_ALL,
  TOOLSET_DEFAULT,
} from "./toolsets/toolsets.js";
export { PROMPT_NAMES } from "./prompts/workflows.js";
export { startHttpTransport, type HttpTransportOptions } from "./transport/http.js";
export type { HttpGuardOptions } from "./transport/guard.js";
