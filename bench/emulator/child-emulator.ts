// Bench child: the emulator on a free port, in memory, demo seed; prints one JSON line.
import { startEmulator } from "../../packages/emulator/src/index.js";

const running = await startEmulator({ port: 0, db: ":memory:", seed: "demo" });
process.stdout.write(`${JSON.stringify({ url: running.url, seed: running.seed })}\n`);
