// Bench child: the emulator from its build (packages/emulator/dist, `npm run build`), as a
// user runs it from npm: in memory, demo seed; prints one JSON line.
import { startEmulator } from "../../packages/emulator/dist/index.js";

const running = await startEmulator({ port: 0, db: ":memory:", seed: "demo" });
process.stdout.write(`${JSON.stringify({ url: running.url, seed: running.seed })}\n`);
