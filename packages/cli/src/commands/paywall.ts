import type { ReconcileRow } from "@polar-mcp/paywall";
import type { Command } from "commander";
import type { CliIo } from "../io.js";
import { loadExport } from "../load-package.js";
import { CliError } from "../errors.js";
import { registerPaywallProxyCommand } from "./paywall-proxy.js";

type Reconcile = (options: Record<string, unknown>) => Promise<ReconcileRow[]>;

interface ReconcileFlags {
  baseUrl?: string;
  organizationId?: string;
  productId?: string;
  outbox?: string;
  redis?: string;
  customer?: string[];
  json?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function table(rows: ReconcileRow[]): string[] {
  const header = [
    "customer",
    "meter",
    "credited",
    "polar consumed",
    "live consumed",
    "outbox",
    "ledger",
    "meter lag",
    "drift",
    "available",
  ];
  const lines = rows.map((r) => [
    r.customerId,
    r.meterId,
    String(r.credited),
    String(r.polarConsumed),
    String(r.liveConsumed),
    String(r.outboxPending),
    r.ledgerConsumed === undefined ? "—" : String(r.ledgerConsumed),
    String(r.meterLag),
    r.ledgerDrift === undefined ? "—" : String(r.ledgerDrift),
    String(r.available),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  return [header, ...lines].map((cells) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd(),
  );
}

export function registerPaywallCommand(program: Command, io: CliIo): void {
  const paywall = program
    .command("paywall")
    .description(
      "Operate @polar-mcp/paywall (reconcile its ledger with Polar; put any MCP server behind it).",
    );
  registerPaywallProxyCommand(paywall, io);
  paywall
    .command("reconcile")
    .description(
      "Compare the paywall's local ledger (outbox, Redis) with Polar's customer meters and live events; print any drift.",
    )
    .option("--base-url <url>", "Polar API base URL (env POLAR_BASE_URL; default production)")
    .option("--organization-id <id>", "organization (env POLAR_ORGANIZATION_ID)")
    .option("--product-id <id>", "product whose credits the paywall sells (env POLAR_PRODUCT_ID)")
    .option(
      "--outbox <file>",
      "the paywall's outbox (env POLAR_PAYWALL_OUTBOX; default .polar-paywall-outbox.sqlite)",
    )
    .option("--redis <url>", "the shared ledger (env POLAR_PAYWALL_REDIS_URL)")
    .option("--customer <id>", "only this customer (repeatable)", collect)
    .option("--json", "print the rows as JSON")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .action(async (flags: ReconcileFlags) => {
      const token = process.env.POLAR_ACCESS_TOKEN ?? process.env.POLAR_TOKEN;
      const organizationId = flags.organizationId ?? process.env.POLAR_ORGANIZATION_ID;
      const productId = flags.productId ?? process.env.POLAR_PRODUCT_ID;
      if (!token || !organizationId || !productId)
        throw new CliError(
          "bad_option",
          "polar-mcp paywall reconcile: set POLAR_ACCESS_TOKEN, and --organization-id / --product-id (or POLAR_ORGANIZATION_ID / POLAR_PRODUCT_ID).",
          2,
        );
      const reconcile = await loadExport<Reconcile>(
        "@polar-mcp/paywall",
        "reconcile",
        "paywall reconcile",
      );
      const rows = await reconcile({
        token,
        organizationId,
        productId,
        ...(flags.baseUrl ? { baseUrl: flags.baseUrl } : {}),
        ...(flags.outbox ? { outbox: flags.outbox } : {}),
        ...(flags.redis ? { redisUrl: flags.redis } : {}),
        ...(flags.customer ? { customerIds: flags.customer } : {}),
      });
      if (flags.json) {
        io.out(JSON.stringify(rows));
        return;
      }
      for (const line of table(rows)) io.out(line);
      const drifting = rows.filter((r) => (r.ledgerDrift ?? 0) !== 0);
      const lagging = rows.filter((r) => r.meterLag !== 0);
      io.out(
        drifting.length > 0
          ? `Drift: ${drifting.length} account(s) where the shared ledger differs from Polar's events.`
          : "No drift: the ledger matches Polar's events.",
      );
      if (lagging.length > 0)
        io.out(
          `${lagging.length} customer meter(s) behind Polar's events (Polar's debounced recompute; not drift).`,
        );
    });
}
