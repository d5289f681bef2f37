/**
 * Prints which of the OpenAPI document's operations the emulator implements, by tag.
 * Usage: npx tsx packages/emulator/scripts/coverage.ts [--json]
 */
import { createEmulator } from "../src/index.js";

const emulator = createEmulator();
const byTag = new Map<string, { total: number; implemented: number }>();
for (const op of emulator.operations) {
  const tag = op.tags[0] ?? "untagged";
  const entry = byTag.get(tag) ?? { total: 0, implemented: 0 };
  entry.total += 1;
  if (emulator.implemented.has(op.operationId)) entry.implemented += 1;
  byTag.set(tag, entry);
}
const total = emulator.operations.length;
const implemented = emulator.implemented.size;
if (process.argv.includes("--json")) {
  process.stdout.write(
    `${JSON.stringify({ implemented, total, byTag: Object.fromEntries(byTag) })}\n`,
  );
} else {
  process.stdout.write(`implemented operations: ${implemented} / ${total}\n`);
  for (const [tag, { implemented: done, total: all }] of [...byTag].sort()) {
    process.stdout.write(`  ${tag.padEnd(28)} ${String(done).padStart(3)} / ${all}\n`);
  }
  const missing = emulator.operations.filter((op) => !emulator.implemented.has(op.operationId));
  process.stdout.write(`not implemented (${missing.length}):\n`);
  for (const op of missing) process.stdout.write(`  ${op.operationId}\n`);
}
await emulator.close();
