import type { Hono } from "hono";
import type { EmulatorContext } from "../../context.js";
import { HttpError, notFound } from "../../http/errors.js";
import { organizations } from "../organizations/store.js";
import { products } from "../products/store.js";
import { confirmCheckout, PaymentDeclined } from "./confirm.js";
import { expireIfDue } from "./expiry.js";
import { renderCheckoutPage, renderClosedPage, renderConfirmationPage } from "./page.js";
import { successUrl } from "./read.js";
import { checkouts, findCheckoutBySecret, type CheckoutRecord } from "./store.js";

function view(ctx: EmulatorContext, checkout: CheckoutRecord, error?: string) {
  const product = products(ctx).get(checkout.product_id);
  return {
    checkout,
    productName: product?.name ?? "Product",
    organizationName: organizations(ctx).get(checkout.organization_id)?.name ?? "",
    interval: product?.recurring_interval ?? null,
    ...(error ? { error } : {}),
  };
}

function load(ctx: EmulatorContext, secret: string): CheckoutRecord {
  const checkout = findCheckoutBySecret(ctx, secret);
  if (!checkout) throw notFound("Checkout session not found.");
  return expireIfDue(ctx, checkout);
}

const field = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
};

/**
 * The hosted checkout at each session's `url`: GET shows the form, POST pays with the test
 * card and redirects (303) to the success URL, or shows the decline on the same page (402).
 */
export function registerCheckoutPages(app: Hono, ctx: EmulatorContext): void {
  app.get("/checkout/:secret", (c) => {
    const checkout = load(ctx, c.req.param("secret"));
    if (checkout.status !== "open")
      return c.html(renderClosedPage(checkout, successUrl(ctx, checkout)));
    return c.html(renderCheckoutPage(view(ctx, checkout, checkout.payment_error ?? undefined)));
  });

  app.post("/checkout/:secret", async (c) => {
    const checkout = load(ctx, c.req.param("secret"));
    if (checkout.status !== "open")
      return c.html(renderClosedPage(checkout, successUrl(ctx, checkout)), 409);
    const form = await c.req.formData();
    const email = field(form, "customer_email");
    const name = field(form, "customer_name");
    try {
      const done = confirmCheckout(
        ctx,
        checkout,
        { ...(email ? { customer_email: email } : {}), ...(name ? { customer_name: name } : {}) },
        {
          card: {
            number: field(form, "card_number") ?? "",
            expiry: field(form, "card_expiry") ?? "",
            cvc: field(form, "card_cvc") ?? "",
          },
        },
      );
      return c.redirect(successUrl(ctx, done), 303);
    } catch (error) {
      if (error instanceof HttpError && error.error === "AlreadyActiveSubscriptionError") {
        // Polar's checkout shows the refusal on the form; nothing was charged.
        return c.html(renderCheckoutPage(view(ctx, checkout, String(error.detail))), 403);
      }
      if (error instanceof HttpError && error.status === 422) {
        // A form problem (no email, a discount used up meanwhile): said on the page, not as JSON.
        const discountGone =
          Array.isArray(error.detail) &&
          (error.detail as { loc?: unknown[] }[]).some((issue) => issue.loc?.[1] === "discount_id");
        const message = discountGone
          ? "Discount is no longer redeemable."
          : "Enter your email address.";
        return c.html(renderCheckoutPage(view(ctx, checkout, message)), 422);
      }
      if (!(error instanceof PaymentDeclined)) throw error;
      // Kept on the session so a reload still says why; the session stays open.
      const failed = checkouts(ctx).put({ ...checkout, payment_error: error.message });
      return c.html(renderCheckoutPage(view(ctx, failed, error.message)), 402);
    }
  });

  app.get("/checkout/:secret/confirmation", (c) => {
    const checkout = load(ctx, c.req.param("secret"));
    return c.html(renderConfirmationPage(checkout, view(ctx, checkout).productName));
  });
}
