// Bench child: `polar-mcp serve --transport http` against the emulator (the baseline).
import { servePolarMcp } from "../../packages/server/src/index.js";

const served = await servePolarMcp({
  transport: "http",
  port: 0,
  baseUrl: process.env.BENCH_EMULATOR_URL!,
  accessToken: process.env.BENCH_TOKEN!,
  spec: process.env.BENCH_SPEC!,
});
process.stdout.write(`${JSON.stringify({ url: served.url, seed: null })}\n`);
