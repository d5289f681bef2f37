// The emulator for the paywall bench, in its own process (as Polar is): 50 ms added to
// every request by default. Prints one JSON line { url, seed } once listening.
import { startEmulator } from "../../packages/emulator/src/index.js";

const latencyMs = Number(process.env.LATENCY_MS ?? 50);
const emulator = await startEmulator({ db: ":memory:", seed: "demo", latencyMs });
process.stdout.write(`${JSON.stringify({ url: emulator.url, seed: emulator.seed })}\n`);
process.on("SIGTERM", () => void emulator.close().then(() => process.exit(0)));
