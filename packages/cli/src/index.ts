export { createProgram, runCli } from "./program.js";
export type { CliIo } from "./io.js";
export { CliError } from "./errors.js";
