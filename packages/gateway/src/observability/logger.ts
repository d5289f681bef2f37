import { pino, type Logger } from "pino";

/** The gateway's structured logger (pino): one JSON object per line. */
export type GatewayLogger = Logger;

/**
 * A pino logger writing JSON lines to stdout (level from `POLAR_MCP_LOG_LEVEL`, default
 * `info`). Credentials never reach it: fields are chosen by the gateway, paths are logged
 * with their secret segment replaced, and `authorization`/`cookie` keys are redacted
 * wherever they appear.
 */
export function createLogger(level = "info"): GatewayLogger {
  return pino({
    level,
    base: { service: "polar-mcp-gateway" },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ["authorization", "*.authorization", "cookie", "*.cookie", "token", "*.token"],
      censor: "[redacted]",
    },
  });
}

/** A request path without its secret: `/mcp/<secret>` → `/mcp/:secret`, same for `/proxy`. */
export function loggablePath(path: string): string {
  return path.replace(/^\/(mcp|proxy)\/[^/]+/, "/$1/:secret").slice(0, 300);
}

/**
 * What an unexpected error may say in a log line: its class and code, and its message
 * with anything that looks like a credential or a file path removed (no stack).
 */
export function loggableError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    ...(typeof code === "string" ? { code } : {}),
    message: scrub(error.message),
  };
}

function scrub(message: string): string {
  return message
    .replace(/\b(polar_[a-z]+_|pmg_)[A-Za-z0-9_-]+/g, "$1[redacted]")
    .replace(/Bearer\s+\S+/gi, "Bearer [redacted]")
    .replace(/[a-z]+:\/\/[^\s@/]*@/gi, (m) => `${m.split("://")[0]}://[redacted]@`)
    .replace(/(?:\/[\w.@-]+){2,}/g, "[path]")
    .slice(0, 300);
}
