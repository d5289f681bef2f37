import { METHOD_CATEGORIES } from "@polar-mcp/server";
import { GatewayHttpError } from "../errors.js";
import type { ServerConfig } from "../registry/types.js";

const KEYS = ["methods", "tags", "tools", "exclude_tools", "read_only", "mode"];

/**
 * Reads the `config` object of the admin API (snake_case) into a {@link ServerConfig}.
 * Shapes are checked here; names (tags, tools) are checked against the catalogue later.
 */
export function parseServerConfig(value: unknown): ServerConfig {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw invalid('config must be an object such as {"methods": ["read"], "tags": ["customers"]}.');
  }
  const input = value as Record<string, unknown>;
  const unknown = Object.keys(input).filter((key) => !KEYS.includes(key));
  if (unknown.length > 0) {
    throw invalid(
      `config has unknown field(s) ${unknown.map((k) => k.slice(0, 40)).join(", ")}; allowed: ${KEYS.join(", ")}.`,
    );
  }
  const config: ServerConfig = {};
  const methods = stringList(input.methods, "config.methods");
  if (methods) {
    const bad = methods.filter((m) => !METHOD_CATEGORIES.includes(m as never));
    if (bad.length > 0)
      throw invalid(`config.methods has ${bad.join(", ")}; use read, write or custom.`);
    config.methods = methods;
  }
  const tags = stringList(input.tags, "config.tags");
  if (tags) config.tags = tags;
  const tools = stringList(input.tools, "config.tools");
  if (tools) config.tools = tools;
  const exclude = stringList(input.exclude_tools, "config.exclude_tools");
  if (exclude) config.excludeTools = exclude;
  if (input.read_only !== undefined) {
    if (typeof input.read_only !== "boolean")
      throw invalid("config.read_only must be true or false.");
    config.readOnly = input.read_only;
  }
  if (input.mode !== undefined) {
    if (input.mode !== "static" && input.mode !== "dynamic") {
      throw invalid(
        'config.mode must be "static" (one tool per operation) or "dynamic" (search/describe/call).',
      );
    }
    config.mode = input.mode;
  }
  return config;
}

/** The config as the admin API shows it (snake_case, only the fields that are set). */
export function renderServerConfig(config: ServerConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (config.methods) out.methods = config.methods;
  if (config.tags) out.tags = config.tags;
  if (config.tools) out.tools = config.tools;
  if (config.excludeTools) out.exclude_tools = config.excludeTools;
  if (config.readOnly !== undefined) out.read_only = config.readOnly;
  out.mode = config.mode ?? "static";
  return out;
}

function stringList(value: unknown, field: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string" && v.length > 0)) {
    throw invalid(`${field} must be a list of non-empty strings.`);
  }
  return value as string[];
}

function invalid(message: string): GatewayHttpError {
  return new GatewayHttpError(422, "invalid_config", message);
}
