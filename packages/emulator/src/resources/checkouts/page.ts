import type { CheckoutRecord } from "./store.js";

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const money = (cents: number, currency: string) =>
  `${(cents / 100).toFixed(2)} ${currency.toUpperCase()}`;

export interface CheckoutPageView {
  checkout: CheckoutRecord;
  productName: string;
  organizationName: string;
  interval: string | null;
  error?: string;
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#111}
label{display:block;margin:.75rem 0 .25rem}input{width:100%;padding:.5rem;box-sizing:border-box}
button{margin-top:1rem;width:100%;padding:.75rem;background:#0062ff;color:#fff;border:0;border-radius:.4rem;font-size:1rem}
.error{background:#fee;color:#900;padding:.75rem;border-radius:.4rem}.note{color:#666;font-size:.85rem}`;

/**
 * The hosted checkout page: plain HTML, one form posted back to the same URL. Field names
 * and ids are stable so tests (and people) can fill it in.
 */
export function renderCheckoutPage(view: CheckoutPageView): string {
  const { checkout } = view;
  const total = money(checkout.total_amount, checkout.currency);
  const per = view.interval ? ` / ${escape(view.interval)}` : "";
  const error = view.error
    ? `<p class="error" role="alert" id="checkout-error">${escape(view.error)}</p>`
    : "";
  const card =
    checkout.total_amount > 0
      ? `<label for="card-number">Card number</label>
<input id="card-number" name="card_number" inputmode="numeric" autocomplete="cc-number" placeholder="4242 4242 4242 4242" required>
<label for="card-expiry">Expiry (MM/YY)</label>
<input id="card-expiry" name="card_expiry" autocomplete="cc-exp" placeholder="12/34" required>
<label for="card-cvc">CVC</label>
<input id="card-cvc" name="card_cvc" inputmode="numeric" autocomplete="cc-csc" placeholder="123" required>
<p class="note">Test mode: 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined.</p>`
      : "";
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Checkout: ${escape(view.productName)}</title><style>${STYLE}</style></head>
<body><main>
<p>${escape(view.organizationName)}</p>
<h1 id="product-name">${escape(view.productName)}</h1>
<p id="total">${total}${per}</p>
${error}
<form method="post" id="checkout-form">
<label for="email">Email</label>
<input id="email" name="customer_email" type="email" autocomplete="email" value="${escape(checkout.customer_email ?? "")}" required>
<label for="name">Name</label>
<input id="name" name="customer_name" autocomplete="name" value="${escape(checkout.customer_name ?? "")}">
${card}
<button type="submit" id="pay">${checkout.total_amount > 0 ? `Pay ${total}` : "Get it for free"}</button>
</form></main></body></html>`;
}

/** What the page shows for a session that cannot be paid any more. */
export function renderClosedPage(checkout: CheckoutRecord, successUrl: string): string {
  const message =
    checkout.status === "succeeded"
      ? `Payment received. <a id="continue" href="${escape(successUrl)}">Continue</a>`
      : checkout.status === "expired"
        ? "This checkout session has expired. Ask the seller for a new link."
        : `This checkout is ${checkout.status}.`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Checkout</title>
<style>${STYLE}</style></head><body><main><h1>Checkout</h1><p id="status" data-status="${checkout.status}">${message}</p></main></body></html>`;
}

/** The default `success_url`: a confirmation the buyer lands on. */
export function renderConfirmationPage(checkout: CheckoutRecord, productName: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Thank you</title>
<style>${STYLE}</style></head><body><main><h1 id="confirmation">Thank you!</h1>
<p>Your purchase of ${escape(productName)} is <span id="status">${checkout.status}</span>.</p></main></body></html>`;
}
