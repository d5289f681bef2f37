import { startEmulator } from "../../packages/emulator/dist/index.js";
const running = await startEmulator({ port: 0, db: ":memory:", seed: "demo" });
process.on("SIGTERM", () => process.exit(0));
process.stdout.write(`${JSON.stringify({ url: running.url, seed: running.seed })}\n`);
