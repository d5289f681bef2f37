import { randomUUID } from "node:crypto";

/** The one structured line every 500 writes: what failed and where, never what was sent. */
export interface InternalErrorLog {
  level: "error";
  msg: "internal_server_error";
  time: string;
  /** Also sent to the client as `X-Request-Id`, to match a report with its line. */
  request_id: string;
  method: string;
  /** The path only: query strings may carry keys or emails. */
  path: string;
  /** The error's class (`SqliteError`, `TypeError`…), not its message or stack. */
  error_class: string;
  status: 500;
}

export type ErrorLogSink = (entry: InternalErrorLog) => void;

/** Default sink: one JSON line on stderr. */
export const stderrErrorLog: ErrorLogSink = (entry) => {
  process.stderr.write(`${JSON.stringify(entry)}\n`);
};

/** Builds the log entry for a request that failed with an unexpected error. */
export function internalErrorEntry(request: Request, error: unknown): InternalErrorLog {
  let path = "/";
  try {
    path = new URL(request.url).pathname;
  } catch {
    // A request without a parsable URL still gets its line.
  }
  return {
    level: "error",
    msg: "internal_server_error",
    time: new Date().toISOString(),
    request_id: randomUUID(),
    method: request.method,
    path,
    error_class: errorClassOf(error),
    status: 500,
  };
}

function errorClassOf(error: unknown): string {
  if (error instanceof Error) {
    const name = error.constructor?.name || error.name;
    // Class names are identifiers; anything else is not echoed.
    return /^[A-Za-z_$][\w$]{0,63}$/.test(name) ? name : "Error";
  }
  return typeof error;
}
