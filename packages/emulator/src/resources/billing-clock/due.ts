import type { EmulatorContext } from "../../context.js";
import { expireCheckout } from "../checkouts/service.js";
import { checkouts } from "../checkouts/store.js";
import { renewSubscription } from "../subscriptions/cycle.js";
import { revokeSubscription } from "../subscriptions/service.js";
import { isActive, subscriptions } from "../subscriptions/store.js";

/** Something that happens by itself at a moment: a renewal, a trial end, an expiry. */
export interface DueItem {
  at: number;
  kind: "subscription.renewal" | "subscription.trial_end" | "subscription.end" | "checkout.expiry";
  id: string;
  run(): void;
}

/**
 * Everything due at or before `until` (epoch ms), earliest first. License keys need no
 * entry: a key past `expires_at` is refused by validation from that moment on.
 */
export function dueItems(ctx: EmulatorContext, until: number): DueItem[] {
  const items: DueItem[] = [];
  for (const subscription of subscriptions(ctx).all()) {
    if (!isActive(subscription)) continue;
    const at = new Date(subscription.current_period_end).getTime();
    if (at > until) continue;
    if (subscription.cancel_at_period_end) {
      items.push({
        at,
        kind: "subscription.end",
        id: subscription.id,
        run: () => revokeSubscription(ctx, subscriptions(ctx).get(subscription.id)!),
      });
    } else {
      items.push({
        at,
        kind:
          subscription.status === "trialing" ? "subscription.trial_end" : "subscription.renewal",
        id: subscription.id,
        run: () => renewSubscription(ctx, subscriptions(ctx).get(subscription.id)!),
      });
    }
  }
  for (const checkout of checkouts(ctx).all()) {
    const at = new Date(checkout.expires_at).getTime();
    if (checkout.status !== "open" || at > until) continue;
    items.push({
      at,
      kind: "checkout.expiry",
      id: checkout.id,
      run: () => expireCheckout(ctx, checkouts(ctx).get(checkout.id)!),
    });
  }
  return items.sort((a, b) => a.at - b.at);
}
