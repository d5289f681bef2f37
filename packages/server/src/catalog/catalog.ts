import { parseOperations, type ParsedOperation } from "../openapi/operations.js";
import type { HttpMethod, JsonSchema, OpenApiDocument } from "../openapi/types.js";
import {
  annotationsFor,
  methodCategory,
  operationKind,
  type MethodCategory,
  type OperationKind,
  type ToolAnnotations,
} from "./classify.js";
import { compactInputSchema } from "./compact.js";
import { inputFields, type InputField } from "./fields.js";
import { toolNameFromOperationId, uniqueNames } from "./naming.js";
import { firstSentence, restatesName, safetyText } from "./text.js";

/** Default per-tool budget for a listed input schema, in bytes of JSON. */
export const DEFAULT_SCHEMA_BUDGET_BYTES = 280;
/** Budget of the schema `describe_operation` returns (dynamic mode). */
export const DESCRIBE_SCHEMA_BUDGET_BYTES = 12_000;
/** Longest tool description kept (first sentence). */
export const MAX_DESCRIPTION_CHARS = 160;
/** Longest warning kept from a destructive operation's description, after the first sentence. */
export const MAX_WARNING_CHARS = 240;

/** One operation as a tool: what tools/list shows plus what a call needs. */
export interface CatalogTool {
  name: string;
  operationId: string;
  method: HttpMethod;
  path: string;
  tags: string[];
  kind: OperationKind;
  category: MethodCategory;
  description: string;
  /** Compact input schema within the per-tool budget. */
  inputSchema: JsonSchema;
  annotations: ToolAnnotations;
  /** Accepted security alternatives (scheme names); empty = public. */
  security: string[][];
  scopes: string[];
  paginated: boolean;
  deprecated: boolean;
  fields: InputField[];
  operation: ParsedOperation;
}

/** Options of {@link buildToolCatalog}. */
export interface ToolCatalogOptions {
  /** Per-tool budget for listed input schemas, in bytes of JSON (default 280). */
  schemaBudgetBytes?: number;
}

/** Every operation of one OpenAPI document as a tool, sorted by name. Pure and cached. */
export interface ToolCatalog {
  readonly spec: OpenApiDocument;
  readonly tools: readonly CatalogTool[];
  readonly byName: ReadonlyMap<string, CatalogTool>;
  readonly tags: readonly string[];
  /** API version of the document (`info.version`), sent as `Polar-Version`. */
  readonly apiVersion: string | undefined;
  /** A richer schema for one tool (descriptions, nesting), cached; for `describe_operation`. */
  describe(tool: CatalogTool): JsonSchema;
}

const cache = new WeakMap<OpenApiDocument, Map<number, ToolCatalog>>();

/**
 * Builds (once per document and budget) the catalogue of tools: names, compact schemas,
 * annotations, security. Cheap per-config views come from `createToolView`.
 *
 * @example
 * const catalog = buildToolCatalog(spec);
 * catalog.tools.length; // 186 for Polar's 2026-10 document
 */
export function buildToolCatalog(
  spec: OpenApiDocument,
  options: ToolCatalogOptions = {},
): ToolCatalog {
  const budget = options.schemaBudgetBytes ?? DEFAULT_SCHEMA_BUDGET_BYTES;
  const perSpec = cache.get(spec) ?? new Map<number, ToolCatalog>();
  cache.set(spec, perSpec);
  const cached = perSpec.get(budget);
  if (cached) return cached;
  const catalog = createCatalog(spec, budget);
  perSpec.set(budget, catalog);
  return catalog;
}

function createCatalog(spec: OpenApiDocument, budget: number): ToolCatalog {
  const operations = parseOperations(spec);
  const names = uniqueNames(operations.map((op) => toolNameFromOperationId(op.operationId)));
  const tools = operations
    .map((op, index) => toTool(spec, op, names[index] as string, budget))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const described = new Map<CatalogTool, JsonSchema>();
  return {
    spec,
    tools,
    byName: new Map(tools.map((tool) => [tool.name, tool])),
    tags: [...new Set(tools.flatMap((tool) => tool.tags))].sort(),
    apiVersion: spec.info?.version,
    describe(tool) {
      let schema = described.get(tool);
      if (!schema) {
        schema = compactInputSchema(
          spec,
          tool.fields,
          DESCRIBE_SCHEMA_BUDGET_BYTES,
          tool.name,
        ).schema;
        described.set(tool, schema);
      }
      return schema;
    },
  };
}

function toTool(
  spec: OpenApiDocument,
  op: ParsedOperation,
  name: string,
  budget: number,
): CatalogTool {
  const fields = inputFields(spec, op);
  const kind = operationKind(op);
  return {
    name,
    operationId: op.operationId,
    method: op.method,
    path: op.path,
    tags: op.tags,
    kind,
    category: methodCategory(kind),
    description: toolDescription(op, name),
    inputSchema: compactInputSchema(spec, fields, budget, name, { portable: true }).schema,
    annotations: annotationsFor(op),
    security: op.security,
    scopes: op.scopes,
    paginated: op.paginated,
    deprecated: op.deprecated,
    fields,
    operation: op,
  };
}

/**
 * First sentence of the operation's description (else its summary), then the description's
 * warnings (`safetyText`: "cannot be undone and will immediately: cancel …"). A first
 * sentence that only restates the tool name ("List customers." for `customers_list`) is
 * left out: the name already says it and tools/list is cheaper without it. Warnings stay.
 */
function toolDescription(op: ParsedOperation, name: string): string {
  const text =
    firstSentence(op.description, MAX_DESCRIPTION_CHARS) ||
    firstSentence(op.summary, MAX_DESCRIPTION_CHARS);
  const warning = safetyText(op.description, MAX_WARNING_CHARS);
  const prefix = op.deprecated ? "Deprecated. " : "";
  const base = !op.deprecated && restatesName(text, name) ? "" : text;
  if (!base && !warning && !op.deprecated) return "";
  return `${prefix}${[base || (warning ? "" : `${op.method.toUpperCase()} ${op.path}`), warning].filter(Boolean).join(" ")}`;
}
