import { InvalidArgumentError } from "commander";

/** Parses a TCP port (0 = any free port). */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError("expected a port number from 0 to 65535.");
  }
  return port;
}

/** Parses a comma-separated list, e.g. `--tags products,customers`. */
export function parseList(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean),
  ];
}

/** The help of `--spec`, the same on every command that reads Polar's OpenAPI document. */
export const SPEC_HELP =
  "Polar's OpenAPI document, a file or an http(s) URL (default: POLAR_OPENAPI, then the copy shipped with polar-mcp, then Polar's public document, fetched once and cached)";
