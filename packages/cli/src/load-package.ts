import { CliError } from "./errors.js";

/**
 * Loads one export of a workspace package on demand (so `--help` stays fast), and says
 * plainly when the package does not provide it yet.
 */
export async function loadExport<T>(
  packageName: string,
  exportName: string,
  command: string,
): Promise<T> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(packageName)) as Record<string, unknown>;
  } catch (error) {
    throw new CliError(
      "not_landed",
      `polar-mcp ${command}: ${packageName} could not be loaded (${(error as Error).message}).`,
      2,
    );
  }
  const value = mod[exportName];
  if (value === undefined) {
    throw new CliError(
      "not_landed",
      `polar-mcp ${command}: not available yet — ${packageName} does not provide ${exportName}() in this version (see the status table in README.md).`,
      2,
    );
  }
  return value as T;
}
