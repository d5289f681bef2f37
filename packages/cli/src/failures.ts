import { CliError } from "./errors.js";

interface SystemError {
  code?: unknown;
  port?: unknown;
  syscall?: unknown;
  message?: unknown;
}

function asSystemError(error: unknown): SystemError {
  return typeof error === "object" && error !== null ? error : {};
}

/**
 * The one line a failure prints: what went wrong and the flag that fixes it, never a
 * stack trace. A port in use names `--port 0`.
 */
export function describeFailure(error: unknown): string {
  if (error instanceof CliError) return error.message;
  const e = asSystemError(error);
  if (e.syscall === "listen" && e.code === "EADDRINUSE") {
    return `polar-mcp: port ${String(e.port)} is in use: pass --port 0 for any free port, or another --port.`;
  }
  if (e.syscall === "listen" && e.code === "EACCES") {
    return `polar-mcp: port ${String(e.port)} needs privileges this user lacks: pass --port 0 for any free port, or one above 1023.`;
  }
  const message = typeof e.message === "string" ? e.message : String(error);
  return `polar-mcp: ${message}`;
}

/** True for better-sqlite3's failures to open a database file. */
function isDatabaseOpenFailure(error: unknown): boolean {
  const e = asSystemError(error);
  const code = typeof e.code === "string" ? e.code : "";
  const message = typeof e.message === "string" ? e.message : "";
  return (
    /^SQLITE_(CANTOPEN|NOTADB|READONLY|PERM|CORRUPT)/.test(code) ||
    /Cannot open database|unable to open database|file is not a database/i.test(message)
  );
}

/** Runs `open`; a database that cannot be opened at `path` becomes one line naming `--db`. */
export async function openingDatabase<T>(path: string, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    if (!isDatabaseOpenFailure(error)) throw error;
    const reason = (error as Error).message.replace(/\.$/, "");
    throw new CliError(
      "bad_option",
      `polar-mcp: cannot open the database at ${path}: ${reason}; pass --db FILE or :memory:.`,
    );
  }
}
