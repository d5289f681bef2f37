import { runCli } from "./index.js";

// Not a top-level await: a stdio server whose client closed stdin ends when its work is
// done (the event loop drains) while its command still waits for a signal; that is exit 0.
void runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
