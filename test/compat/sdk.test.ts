// Compatibility matrix, @polar-sh/sdk: the versions Polar's official adapters pin (0.32
// express, 0.42 hono, 0.47 better-auth and nextjs, 0.49 the last Speakeasy line) and 1.0,
// each unmodified but for its server URL, over the emulator's conformance cases (the SDK
// validates every response with zod) and over every webhook the emulator's trigger sends.
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startConformance,
  type Conformance,
  type ConformanceCase,
} from "../../packages/emulator/test/conformance/harness.js";
import {
  ALL_EVENT_TYPES,
  startReceiver,
  type Received,
  type Receiver,
} from "../../packages/emulator/test/commerce/receiver.js";
import {
  createControlClient,
  startEmulator,
  type RunningEmulator,
} from "../../packages/emulator/src/index.js";
import { ensureClientInstalled, loadEntry } from "./install.js";

const conformanceDir = fileURLToPath(
  new URL("../../packages/emulator/test/conformance/", import.meta.url),
);
const cases: ConformanceCase[] = [];
for (const file of readdirSync(conformanceDir)
  .filter((f) => f.endsWith(".cases.ts"))
  .sort()) {
  const module = (await import(`${conformanceDir}${file}`)) as { cases: ConformanceCase[] };
  cases.push(...module.cases);
}

type ClientClass = new (options: { accessToken: string; serverURL: string }) => unknown;
interface SdkEntry {
  Polar032: ClientClass;
  Polar042: ClientClass;
  Polar047: ClientClass;
  Polar049: ClientClass;
  createPolar10: (options: { accessToken: string; baseUrl: string }) => Conformance["latest"];
}

let entry: SdkEntry;
beforeAll(async () => {
  await ensureClientInstalled("sdk");
  entry = await loadEntry<SdkEntry>("sdk");
}, 320_000);

/** One demo emulator per SDK version: cases list what they created, so they never share. */
function useEmulator(): { readonly h: Conformance } {
  const holder: { h?: Conformance } = {};
  beforeAll(async () => {
    holder.h = await startConformance();
  });
  afterAll(async () => {
    await holder.h?.close();
  });
  return {
    get h() {
      if (!holder.h) throw new Error("the emulator has not started");
      return holder.h;
    },
  };
}

/**
 * A case written for 0.49's API run with an older Speakeasy client. An operation the older
 * SDK has no method for ends in a TypeError before anything reaches the wire: that is
 * recorded as absent (and checked: the operation was never called). Anything else, a
 * response the SDK refuses above all, fails.
 */
async function runStrict(
  h: Conformance,
  c: ConformanceCase,
  client: unknown,
): Promise<"ran" | "absent"> {
  const before = h.exchanges.length;
  try {
    await c.strict({ ...h, strict: client as Conformance["strict"] });
  } catch (error) {
    // The SDK has no such namespace or method (the case's setup may still have called the
    // operation through the latest SDK, so the wire cannot tell).
    const message = error instanceof Error ? error.message : "";
    const missingMethod =
      error instanceof Error &&
      error.name === "TypeError" &&
      /Cannot read properties of undefined \(reading '\w+'\)|\w+ is not a function/.test(message);
    if (missingMethod) return "absent";
    throw new Error(`${c.operationId}: ${describeRejection(error)}`, { cause: error });
  }
  const seen = h.exchanges.slice(before);
  expect(
    seen.filter((e) => e.operationId === c.operationId && e.status < 300),
    `${c.operationId} was not called successfully`,
  ).not.toHaveLength(0);
  return "ran";
}

/** The fields a zod validation error names (path and message), else the error's message. */
function describeRejection(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  const issues =
    cause && typeof cause === "object" && "issues" in cause && Array.isArray(cause.issues)
      ? (cause.issues as { path?: unknown[]; message?: string; errors?: unknown }[])
      : undefined;
  if (!issues) return error instanceof Error ? error.message : String(error);
  const flatten = (list: { path?: unknown[]; message?: string; errors?: unknown }[]): string[] =>
    list.flatMap((i) => {
      const nested = Array.isArray(i.errors) ? (i.errors as (typeof list)[]).flat() : [];
      const own = `${(i.path ?? []).join(".")}: ${i.message ?? ""}`;
      return nested.length > 0 ? flatten(nested).map((n) => `${own} > ${n}`) : [own];
    });
  return [...new Set(flatten(issues))].slice(0, 12).join("; ");
}

const speakeasy = [
  ["0.32.16 (@polar-sh/express)", "Polar032"],
  ["0.42.5 (@polar-sh/hono)", "Polar042"],
  ["0.47.1 (@polar-sh/better-auth, @polar-sh/nextjs)", "Polar047"],
  ["0.49.0", "Polar049"],
] as const;

/**
 * Cases an SDK version cannot pass for reasons on its side (or Polar's own), each checked to
 * still fail as described: when one starts passing, this list must shrink.
 */
const PORTAL_BENEFIT_METADATA =
  "the SDK requires `metadata` in benefit subscriber schemas, which Polar no longer sends (polarsource/polar 68b0b44546)";
const ID_TOKEN =
  "the SDK requires `id_token` in every token answer; Polar sends one only for the `openid` scope";
const FOREIGN_RFCDATE =
  "the case passes an `RFCDate` made by the workspace's 0.49 SDK; the pinned SDK checks `instanceof` its own class";
const OAT_SCOPES =
  "the SDK's default registration `scope` asks for `organization_access_tokens:*`, outside Polar's SCOPES_SUPPORTED, which client registration refuses";
const CSV_EXPORT = "the SDK expects JSON from an export that Polar answers as text/csv";
const PAYMENT_METHOD_CREATE =
  "the SDK parses addPaymentMethod's answer as a payment method; Polar answers `{status, payment_method | client_secret}` (CustomerPaymentMethodCreateResponse, polarsource/polar 63d671fa51)";
const KNOWN: Record<(typeof speakeasy)[number][1], Record<string, string>> = {
  Polar032: {
    "subscriptions:export": CSV_EXPORT,
    "refunds:create": "the SDK returns nothing from refunds.create (Polar answers the refund)",
    "customer_portal:customers:update": "the SDK drops `billing_name` from the customer it returns",
    "events:list": "the SDK's events.list returns a page iterator without `items`",
    "meters:create": "the SDK drops the meter fields the case reads",
    "customer_portal:benefit-grants:list": PORTAL_BENEFIT_METADATA,
    "customer_portal:benefit-grants:get": PORTAL_BENEFIT_METADATA,
    "customer_portal:benefit-grants:update": PORTAL_BENEFIT_METADATA,
    "oauth2:request_token": ID_TOKEN,
    "oauth2:clients:oauth2:create_client": OAT_SCOPES,
    "metrics:get": FOREIGN_RFCDATE,
    "metrics:limits": "the SDK drops the field the case reads",
    "customer_portal:customers:add_payment_method": PAYMENT_METHOD_CREATE,
    "customer_portal:customers:confirm_payment_method": PAYMENT_METHOD_CREATE,
  },
  Polar042: {
    "subscriptions:export": CSV_EXPORT,
    "orders:export": CSV_EXPORT,
    "refunds:create": "the SDK returns nothing from refunds.create (Polar answers the refund)",
    "customer_portal:benefit-grants:list": PORTAL_BENEFIT_METADATA,
    "customer_portal:benefit-grants:get": PORTAL_BENEFIT_METADATA,
    "customer_portal:benefit-grants:update": PORTAL_BENEFIT_METADATA,
    "oauth2:request_token": ID_TOKEN,
    "oauth2:clients:oauth2:create_client": OAT_SCOPES,
    "metrics:get": FOREIGN_RFCDATE,
    "customers:export": CSV_EXPORT,
    "members:list_members":
      "the SDK's members.list has no `role` filter (Polar added it in polarsource/polar 1c43204aef), so the team's owner comes back beside the member",
    "customer-seats:claim_seat":
      "the SDK's CustomerSeat has no `member` (Polar added it in polarsource/polar 5f6613f77a), so it drops the member the case reads",
    "customer_portal:seats:list_claimed_subscriptions":
      "the SDK expects a bare array; Polar answers a ListResource page (polarsource/polar 21851f0d70)",
  },
  Polar047: {
    "oauth2:clients:oauth2:create_client": OAT_SCOPES,
    "metrics:get": FOREIGN_RFCDATE,
    "metrics:export": FOREIGN_RFCDATE,
    "customer_portal:benefit-grants:list": PORTAL_BENEFIT_METADATA,
    "customer_portal:benefit-grants:get": PORTAL_BENEFIT_METADATA,
    "customer_portal:benefit-grants:update": PORTAL_BENEFIT_METADATA,
  },
  Polar049: {
    "metrics:get": FOREIGN_RFCDATE,
    "metrics:export": FOREIGN_RFCDATE,
  },
};

for (const [label, key] of speakeasy) {
  describe(`@polar-sh/sdk ${label}: conformance cases with its response validation`, () => {
    const emulator = useEmulator();
    const outcomes = new Map<string, "ran" | "absent">();
    for (const c of cases) {
      const known = KNOWN[key][c.operationId];
      if (known) {
        it(`${c.operationId} fails as known: ${known}`, async () => {
          const { h } = emulator;
          const client = new entry[key]({ accessToken: h.seed.accessToken, serverURL: h.url });
          await expect(
            c.strict({ ...h, strict: client as Conformance["strict"] }),
          ).rejects.toThrow();
        });
        continue;
      }
      it(`${c.operationId}: the SDK validates the emulator's answer and reaches the operation with a 2xx (or has no such method)`, async () => {
        const { h } = emulator;
        const client = new entry[key]({ accessToken: h.seed.accessToken, serverURL: h.url });
        outcomes.set(c.operationId, await runStrict(h, c, client));
      });
    }
    it("ran most operations (absent ones are only those this SDK has no method for)", () => {
      const ran = [...outcomes.values()].filter((o) => o === "ran").length;
      expect(ran).toBeGreaterThan(cases.length / 2);
    });
  });
}

describe("@polar-sh/sdk 1.0.1 (createPolar, 2026-10): conformance cases", () => {
  const emulator = useEmulator();
  for (const c of cases) {
    it(`${c.operationId}: the 1.0 SDK's call reaches the operation with a 2xx`, async () => {
      const { h } = emulator;
      const before = h.exchanges.length;
      await c.latest({
        ...h,
        latest: entry.createPolar10({ accessToken: h.seed.accessToken, baseUrl: h.url }),
      });
      expect(
        h.exchanges.slice(before).filter((e) => e.operationId === c.operationId && e.status < 300),
      ).not.toHaveLength(0);
    });
  }
});

type ValidateEvent = (body: string, headers: Record<string, string>, secret: string) => unknown;
interface WebhookEntry {
  validateEvent032: ValidateEvent;
  validateEvent042: ValidateEvent;
  validateEvent047: ValidateEvent;
  validateEvent049: ValidateEvent;
  webhooks10: { validateEvent: ValidateEvent };
}

describe("@polar-sh/sdk webhooks: every event the emulator's trigger sends, parsed by each SDK", () => {
  let running: RunningEmulator;
  let receiver: Receiver;
  let secret: string;
  const delivered = new Map<string, Received>();

  beforeAll(async () => {
    running = await startEmulator({ seed: "demo" });
    receiver = await startReceiver();
    const control = createControlClient({ url: running.url });
    const events = await control.events();
    const res = await fetch(`${running.url}/v1/webhooks/endpoints`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${running.seed!.accessToken}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({
        url: receiver.url,
        format: "raw",
        events: [...ALL_EVENT_TYPES, ...events],
      }),
    });
    secret = ((await res.json()) as { secret: string }).secret;
    for (const event of events) {
      const before = receiver.accepted().length;
      await control.trigger(event);
      await receiver.until(() => receiver.types().slice(before).includes(event), event);
    }
    for (const r of receiver.accepted()) {
      const type = (JSON.parse(r.body) as { type: string }).type;
      if (!delivered.has(type)) delivered.set(type, r);
    }
  }, 120_000);
  afterAll(async () => {
    await running?.close();
    await receiver?.close();
  });

  const versions = [
    ["0.32.16", (e: WebhookEntry) => e.validateEvent032],
    ["0.42.5", (e: WebhookEntry) => e.validateEvent042],
    ["0.47.1", (e: WebhookEntry) => e.validateEvent047],
    ["0.49.0", (e: WebhookEntry) => e.validateEvent049],
    ["1.0.1", (e: WebhookEntry) => e.webhooks10.validateEvent],
  ] as const;

  for (const [version, pick] of versions) {
    it(`${version} verifies and parses every delivered type it knows`, async () => {
      const validate = pick(entry as unknown as WebhookEntry);
      expect(delivered.size).toBeGreaterThan(20);
      const refused: string[] = [];
      const unknown: string[] = [];
      for (const [type, r] of delivered) {
        try {
          const event = (await validate(r.body, r.headers, secret)) as { type?: string };
          expect(event.type).toBe(type);
        } catch (error) {
          const detail = `${String(error)} ${String((error as { cause?: unknown }).cause ?? "")}`;
          if (/Unknown event type/i.test(detail)) unknown.push(type);
          else refused.push(`${type}: ${describeRejection(error)}`);
        }
      }
      expect(refused).toEqual([]);
      // Types newer than the SDK are refused as unknown, never silently accepted.
      expect(unknown.length).toBeLessThan(delivered.size / 2);
    });
  }
});
