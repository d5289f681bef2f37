import type { CatalogTool, ToolCatalog } from "../catalog/catalog.js";
import type { MethodCategory } from "../catalog/classify.js";
import {
  credentialCanCall,
  describeCredential,
  describeRequirement,
  type CredentialKind,
} from "../credentials/credential.js";
import { ServerError } from "../errors.js";
import { METHOD_CATEGORIES, type ToolFilterOptions } from "./types.js";

/** The answer to "may this server call that tool?". */
export type ToolAccess = { ok: true; tool: CatalogTool } | { ok: false; reason: string };

/** A cheap, per-configuration view of a catalogue: what is listed and what may be called. */
export interface ToolView {
  readonly catalog: ToolCatalog;
  /** Listed tools, in catalogue order. */
  readonly tools: readonly CatalogTool[];
  readonly credential: CredentialKind;
  /** Whether `name` is listed, and why not when it is not; used at call time. */
  access(name: string): ToolAccess;
}

/**
 * Applies filters and the credential to a catalogue. Throws a `ServerError`
 * (`invalid_filter`) for a method group, tag or tool name the catalogue does not know.
 *
 * @example
 * const view = createToolView(buildToolCatalog(spec), { readOnly: true, credential: "organization" });
 * view.tools.every((tool) => tool.category === "read"); // true
 */
export function createToolView(
  catalog: ToolCatalog,
  options: ToolFilterOptions & { credential: CredentialKind },
): ToolView {
  const methods = checkMethods(options.methods);
  const tags = checkTags(catalog, options.tags);
  const include = checkNames(catalog, options.tools, "tools");
  const exclude = checkNames(catalog, options.excludeTools, "exclude-tools");
  const credential = options.credential;

  const reasonFor = (tool: CatalogTool): string | undefined => {
    if (options.readOnly && tool.category !== "read") {
      return `${tool.name} changes data and this server is read-only.`;
    }
    if (exclude?.has(tool.name))
      return `${tool.name} is excluded by the server's exclude-tools setting.`;
    if (include && !include.has(tool.name))
      return `${tool.name} is not in the server's tools setting.`;
    if (methods && !methods.has(tool.category)) {
      return `${tool.name} is a ${tool.category} operation; this server allows only ${[...methods].join(", ")} operations.`;
    }
    if (tags && !tool.tags.some((tag) => tags.has(normaliseTag(tag)))) {
      return `${tool.name} (tags: ${tool.tags.join(", ")}) is outside the server's tags setting (${[...tags].join(", ")}).`;
    }
    if (!options.all && !credentialCanCall(tool.security, credential))
      return credentialReason(tool, credential);
    return undefined;
  };

  const tools = catalog.tools.filter((tool) => reasonFor(tool) === undefined);
  return {
    catalog,
    tools,
    credential,
    access(name) {
      const tool = catalog.byName.get(name) ?? findByOperationId(catalog, name);
      if (!tool) return { ok: false, reason: `Unknown tool "${name}".` };
      const reason = reasonFor(tool);
      return reason ? { ok: false, reason } : { ok: true, tool };
    },
  };
}

/** Why the credential cannot call a tool (also used at call time with `all`). */
export function credentialReason(tool: CatalogTool, credential: CredentialKind): string {
  const fix =
    credential === "none"
      ? "Set POLAR_ACCESS_TOKEN in the MCP server's configuration."
      : "Configure the MCP server with such a token (POLAR_ACCESS_TOKEN).";
  return `${tool.name} needs ${describeRequirement(tool.security)}; this server holds ${describeCredential(credential)}. ${fix}`;
}

function checkMethods(values: readonly string[] | undefined): Set<MethodCategory> | undefined {
  if (!values || values.length === 0) return undefined;
  for (const value of values) {
    if (!METHOD_CATEGORIES.includes(value as MethodCategory)) {
      throw new ServerError(
        "invalid_filter",
        `Unknown method group "${value}" in methods; use read, write or custom.`,
      );
    }
  }
  return new Set(values as MethodCategory[]);
}

function checkTags(
  catalog: ToolCatalog,
  values: readonly string[] | undefined,
): Set<string> | undefined {
  if (!values || values.length === 0) return undefined;
  const known = new Set(catalog.tags.map(normaliseTag));
  for (const value of values) {
    if (!known.has(normaliseTag(value))) {
      throw new ServerError(
        "invalid_filter",
        `Unknown tag "${value}" in tags; known tags: ${catalog.tags.filter((t) => t !== "public").join(", ")}.`,
      );
    }
  }
  return new Set(values.map(normaliseTag));
}

function checkNames(
  catalog: ToolCatalog,
  values: readonly string[] | undefined,
  setting: string,
): Set<string> | undefined {
  if (!values || values.length === 0) return undefined;
  const names = new Set<string>();
  for (const value of values) {
    const tool = catalog.byName.get(value) ?? findByOperationId(catalog, value);
    if (!tool) {
      throw new ServerError(
        "invalid_filter",
        `Unknown tool "${value}" in ${setting}; tool names look like customers_list (see the README's naming scheme).`,
      );
    }
    names.add(tool.name);
  }
  return names;
}

function findByOperationId(catalog: ToolCatalog, value: string): CatalogTool | undefined {
  return catalog.tools.find((tool) => tool.operationId === value);
}

function normaliseTag(tag: string): string {
  return tag.toLowerCase().replace(/-/g, "_");
}
