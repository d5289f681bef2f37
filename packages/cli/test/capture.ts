import type { CliIo } from "../src/index.js";

/** A CliIo that keeps what a command printed, one line per write. */
export function capture(): CliIo & { stdout: string; stderr: string } {
  const line = (text: string) => (text.endsWith("\n") ? text : `${text}\n`);
  const io = {
    stdout: "",
    stderr: "",
    out(text: string) {
      io.stdout += line(text);
    },
    err(text: string) {
      io.stderr += line(text);
    },
  };
  return io;
}
