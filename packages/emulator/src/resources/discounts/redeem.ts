import type { EmulatorContext } from "../../context.js";
import { invalid } from "../../http/errors.js";
import { checkouts } from "../checkouts/store.js";
import { discounts } from "./store.js";

/**
 * At confirmation, as Polar's `redeem_discount`: the discount's redemptions are counted again
 * (Polar locks the discount row for it), so concurrent checkouts opened while one redemption
 * was left cannot all redeem it: the ones after the cap get 422 "Discount is no longer
 * redeemable." and pay nothing. The emulator's store is synchronous, so the check and the
 * increment in the same confirmation cannot interleave with another one.
 */
export function assertDiscountRedeemable(
  ctx: EmulatorContext,
  checkout: { discount_id: string | null; customer_id: string | null; id: string },
): void {
  if (!checkout.discount_id) return;
  const discount = discounts(ctx).get(checkout.discount_id);
  if (!discount) return;
  const refused = () =>
    invalid(["body", "discount_id"], "Discount is no longer redeemable.", discount.id);
  if (discount.max_redemptions !== null && discount.redemptions_count >= discount.max_redemptions)
    throw refused();
  if (discount.max_redemptions_per_customer !== null && checkout.customer_id !== null) {
    const used = checkouts(ctx)
      .byOrganization(discount.organization_id)
      .filter(
        (c) =>
          c.id !== checkout.id &&
          c.status === "succeeded" &&
          c.discount_id === discount.id &&
          c.customer_id === checkout.customer_id,
      ).length;
    if (used >= discount.max_redemptions_per_customer) throw refused();
  }
}
