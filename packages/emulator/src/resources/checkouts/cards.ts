/** A card as typed on the hosted page. */
export interface TestCard {
  number: string;
  expiry?: string;
  cvc?: string;
}

/**
 * Stripe's test cards, as Polar's sandbox takes them: 4242 4242 4242 4242 succeeds; the
 * decline numbers fail with Stripe's messages; anything else is not a test card.
 */
const DECLINES: Record<string, string> = {
  "4000000000000002": "Your card was declined.",
  "4000000000009995": "Your card has insufficient funds.",
  "4000000000000069": "Your card has expired.",
  "4000000000000127": "Your card's security code is incorrect.",
};
const SUCCEEDS = new Set(["4242424242424242", "5555555555554444", "4000056655665556"]);

/** Undefined when the card is accepted, else the message to show the buyer. */
export function chargeTestCard(card: TestCard): string | undefined {
  const number = card.number.replace(/[\s-]/g, "");
  if (DECLINES[number]) return DECLINES[number];
  if (!SUCCEEDS.has(number))
    return "Your card number is not a test card. Use 4242 4242 4242 4242 to succeed.";
  if (card.expiry !== undefined) {
    const match = /^(\d{1,2})\s*\/\s*(\d{2}|\d{4})$/.exec(card.expiry.trim());
    if (!match) return "Your card's expiration date is incomplete.";
    const month = Number(match[1]);
    const year = Number(match[2]!.length === 2 ? `20${match[2]}` : match[2]);
    if (month < 1 || month > 12) return "Your card's expiration date is invalid.";
    if (new Date(Date.UTC(year, month, 1)) <= new Date())
      return "Your card's expiration year is in the past.";
  }
  if (card.cvc !== undefined && !/^\d{3,4}$/.test(card.cvc.trim()))
    return "Your card's security code is incomplete.";
  return undefined;
}
