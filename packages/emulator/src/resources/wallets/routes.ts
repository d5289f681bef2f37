import type { Hono } from "hono";
import type { EmulatorContext } from "../../context.js";
import { notFound } from "../../http/errors.js";
import { paginate, sortBy } from "../../http/list.js";
import type { OperationHandlers } from "../../http/operation.js";
import { iso, newId } from "../../ids.js";
import type { Collection } from "../../store/collection.js";
import { portalCustomer } from "../customer-portal/scope.js";
import { customers } from "../customers/store.js";
import { organizations } from "../organizations/store.js";

/** A customer's billing wallet in one currency (Polar's Wallet); balance in cents. */
interface WalletRecord {
  id: string;
  organization_id: string;
  customer_id: string;
  created_at: string;
  modified_at: string | null;
  balance: number;
  currency: string;
}

const wallets = (ctx: EmulatorContext): Collection<WalletRecord> =>
  ctx.store.collection<WalletRecord>("wallets", { indexes: ["customer_id"] });

const read = (w: WalletRecord) => ({
  id: w.id,
  created_at: w.created_at,
  modified_at: w.modified_at,
  customer_id: w.customer_id,
  balance: w.balance,
  currency: w.currency,
});

export const walletHandlers: OperationHandlers = {
  "customer_portal:wallets:list": (req, ctx) => {
    const customer = portalCustomer(ctx, req.principal);
    const sorted = sortBy(
      wallets(ctx).findBy("customer_id", customer.id),
      req.query.sorting,
      { created_at: (w) => w.created_at, balance: (w) => w.balance },
      ["-created_at"],
    );
    const page = paginate(sorted, req.query);
    return { ...page, items: page.items.map(read) };
  },
  "customer_portal:wallets:get": (req, ctx) => {
    const customer = portalCustomer(ctx, req.principal);
    const wallet = wallets(ctx).get(req.path.id ?? "");
    if (!wallet || wallet.customer_id !== customer.id) throw notFound();
    return read(wallet);
  },
};

/**
 * `POST /__emulator/wallets/balance-transactions { customer_id, amount, currency? }`: what
 * Polar's back office (and its order service, for credits) does — a balance transaction on
 * the customer's billing wallet in that currency, the wallet made on first use
 * (`get_or_create_billing_wallet`). Answers the wallet (201).
 */
export function registerWalletControl(app: Hono, ctx: EmulatorContext): void {
  app.post("/__emulator/wallets/balance-transactions", async (c) => {
    let body: { customer_id?: unknown; amount?: unknown; currency?: unknown } | null;
    try {
      body = (await c.req.json()) as typeof body;
    } catch {
      return c.json(
        { error: "BadRequest", detail: "Send a JSON body: { customer_id, amount, currency? }." },
        400,
      );
    }
    const customer =
      typeof body?.customer_id === "string" ? customers(ctx).get(body.customer_id) : undefined;
    if (!customer || customer.deleted_at)
      return c.json(
        { error: "ResourceNotFound", detail: "No customer with this customer_id." },
        404,
      );
    if (typeof body?.amount !== "number" || !Number.isInteger(body.amount)) {
      return c.json(
        {
          error: "BadRequest",
          detail: "amount must be an integer number of cents (negative to debit).",
        },
        400,
      );
    }
    const currency = (
      typeof body.currency === "string"
        ? body.currency
        : (organizations(ctx).get(customer.organization_id)?.default_presentment_currency ?? "usd")
    ).toLowerCase();
    const now = iso(ctx.clock.now());
    const existing = wallets(ctx)
      .findBy("customer_id", customer.id)
      .find((w) => w.currency === currency);
    const wallet = existing
      ? wallets(ctx).put({ ...existing, balance: existing.balance + body.amount, modified_at: now })
      : wallets(ctx).insert({
          id: newId(),
          organization_id: customer.organization_id,
          customer_id: customer.id,
          created_at: now,
          modified_at: null,
          balance: body.amount,
          currency,
        });
    return c.json(read(wallet), 201);
  });
}
