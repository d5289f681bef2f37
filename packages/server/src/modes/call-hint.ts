import { DYNAMIC_TOOL_NAMES } from "./meta-names.js";

/**
 * How the model calls an operation on this server, in words it can act on: by the tool's
 * own name when it is listed, else through `call_operation` (dynamic mode, and operations
 * outside the listed toolsets), so that every hint names a call that works here.
 */
export function callInstruction(
  listed: ReadonlySet<string>,
  name: string,
  args: Record<string, unknown>,
): string {
  if (listed.has(name)) return `call ${name} with ${JSON.stringify(args)}`;
  return `call ${DYNAMIC_TOOL_NAMES.call} with ${JSON.stringify({ name, arguments: args })}`;
}
