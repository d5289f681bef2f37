// The local Polar (@polar-mcp/emulator, demo seed) behind an MCP server, reached with the
// official MCP client over memory: what the end-to-end workflow tests drive.
import {
  createEmulator,
  type DemoSeed,
  type Emulator,
  type EmulatorOptions,
} from "@polar-mcp/emulator";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { expect } from "vitest";
import type { PolarMcpServerOptions } from "../src/index.js";
import { connect, textOf } from "./helpers.js";

/** The base URL the MCP server is configured with; requests go to the emulator in process. */
export const EMULATOR_BASE_URL = "http://polar-emulator.test";

/** An emulator's `fetch(Request)` as the `fetch(url, init)` the MCP server takes. */
export function emulatorFetch(emulator: Emulator): typeof globalThis.fetch {
  return ((input: string | URL | Request, init?: RequestInit) =>
    emulator.fetch(new Request(input, init))) as typeof globalThis.fetch;
}

export type EmulatorSession = Awaited<ReturnType<typeof connectToEmulator>>;

/**
 * A demo-seeded emulator and an MCP client connected to a server whose Polar is that
 * emulator, with the seed's organization token. `control` drives the emulator's control
 * plane (grants and revocations stand in for Polar's commerce lifecycle).
 */
export async function connectToEmulator(
  options: Partial<Omit<PolarMcpServerOptions, "spec" | "fetch" | "baseUrl">> = {},
  emulatorOptions: Omit<EmulatorOptions, "seed"> = {},
) {
  const emulator = createEmulator({ seed: "demo", ...emulatorOptions });
  const seed = emulator.seed as DemoSeed;
  const session = await connect({
    accessToken: seed.accessToken,
    ...options,
    fetch: emulatorFetch(emulator),
    baseUrl: EMULATOR_BASE_URL,
  });

  async function control<T = Record<string, unknown>>(path: string, body: unknown): Promise<T> {
    const response = await emulator.fetch(
      new Request(`${EMULATOR_BASE_URL}/__emulator/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    );
    if (!response.ok)
      throw new Error(`control ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** Calls a tool that must succeed; returns Polar's JSON (the structured content). */
  async function ok<T = Record<string, unknown>>(
    name: string,
    args: Record<string, unknown> = {},
  ): Promise<T> {
    const result = await session.call(name, args);
    expect(result.isError, `${name} failed: ${textOf(result)}`).toBeFalsy();
    return result.structuredContent as T;
  }

  /** Calls a tool that must fail; returns the result. */
  async function fails(name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
    const result = await session.call(name, args);
    expect(result.isError, `${name} unexpectedly succeeded: ${textOf(result)}`).toBe(true);
    return result;
  }

  return {
    ...session,
    emulator,
    seed,
    control,
    ok,
    fails,
    async close() {
      await session.close();
      await emulator.close();
    },
  };
}

/** Polar's list shape plus the server's pagination hints. */
export interface Page<T> {
  items: T[];
  pagination: { total_count: number; max_page: number; page: number; next_page: number | null };
}
