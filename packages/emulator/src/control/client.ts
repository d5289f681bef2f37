import { EmulatorError } from "../errors.js";
import type { ClockAdvance } from "../resources/billing-clock/advance.js";
import type { ClockStep } from "../resources/billing-clock/public.js";

export interface ControlClientOptions {
  /** A running emulator, e.g. `http://127.0.0.1:8787`. */
  url: string;
  fetch?: typeof fetch;
}

/** What a trigger did: the event asked for, and the ids of what it created or changed. */
export type TriggerAnswer = { event: string; organization_id: string } & Record<
  string,
  string | null
>;

/**
 * Talks to a running emulator's control plane (`/__emulator/`): what the CLI's
 * `polar-mcp emulator trigger` and `clock advance` use.
 *
 * @example
 * const control = createControlClient({ url: "http://127.0.0.1:8787" });
 * await control.trigger("order.paid", { "customer.email": "jane@example.com" });
 * await control.advanceClock({ months: 1 });
 */
export function createControlClient(options: ControlClientOptions) {
  const fetchImpl = options.fetch ?? fetch;
  const base = options.url.replace(/\/+$/, "");
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetchImpl(`${base}${path}`, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new EmulatorError(
        "unreachable",
        `No emulator answers at ${base}; start one with polar-mcp emulator.`,
        { cause: error },
      );
    }
    const json = (await res.json().catch(() => ({}))) as { detail?: unknown };
    if (!res.ok) {
      const detail = Array.isArray(json.detail)
        ? json.detail.map((d: { msg?: string }) => d.msg).join("; ")
        : String(json.detail ?? res.statusText);
      throw new EmulatorError(
        "control_failed",
        `${method} ${path} answered ${res.status}: ${detail}`,
      );
    }
    return json as T;
  }
  return {
    /** Runs the chain that causes `event` (with `path=value` overrides). */
    trigger: (event: string, overrides: Record<string, string> = {}, organizationId?: string) =>
      call<TriggerAnswer>("POST", "/__emulator/trigger", {
        event,
        overrides,
        ...(organizationId ? { organization_id: organizationId } : {}),
      }),
    /** The events `trigger` knows. */
    events: async () => (await call<{ events: string[] }>("GET", "/__emulator/trigger")).events,
    /** Moves the clock forward, running what falls due on the way. */
    advanceClock: (step: ClockStep) =>
      call<ClockAdvance>("POST", "/__emulator/clock/advance", step),
  };
}

export type ControlClient = ReturnType<typeof createControlClient>;
