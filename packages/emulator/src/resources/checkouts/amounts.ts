import type { PriceRecord } from "../products/store.js";
import { discountAmount, type DiscountRecord } from "../discounts/store.js";

/** What a checkout charges, in cents of its currency (the emulator computes no tax). */
export interface CheckoutAmounts {
  amount: number;
  discount_amount: number;
  net_amount: number;
  tax_amount: number;
  total_amount: number;
  currency: string;
}

/**
 * The price's amount: fixed prices their `price_amount`; custom (pay what you want) the
 * amount asked for, else the preset, else the minimum; free and metered prices 0 upfront.
 */
export function priceAmount(price: PriceRecord, requested?: number | null): number {
  if (price.amount_type === "fixed") return Number(price.price_amount ?? 0);
  if (price.amount_type === "custom") {
    const min = Number(price.minimum_amount ?? 0);
    const chosen = requested ?? (price.preset_amount as number | null) ?? min;
    return Math.max(min, chosen);
  }
  if (price.amount_type === "seat_based") return Number(price.price_per_seat ?? 0);
  return 0;
}

export function checkoutAmounts(
  price: PriceRecord,
  discount: DiscountRecord | undefined,
  requested?: number | null,
): CheckoutAmounts {
  const amount = priceAmount(price, requested);
  const off = discountAmount(discount, amount);
  return {
    amount,
    discount_amount: off,
    net_amount: amount - off,
    tax_amount: 0,
    total_amount: amount - off,
    currency: price.price_currency,
  };
}
