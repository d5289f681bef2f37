import type { PortalView } from "./view.js";

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const money = (cents: number, currency: string) =>
  `${(cents / 100).toFixed(2)} ${currency.toUpperCase()}`;
const day = (iso: string | null) => (iso ? escape(iso.slice(0, 10)) : "—");

const STYLE = `body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#111}
table{width:100%;border-collapse:collapse;margin:.5rem 0 1.5rem}th,td{text-align:left;padding:.4rem;border-bottom:1px solid #eee;vertical-align:top}
button{padding:.4rem .8rem;border:0;border-radius:.3rem;background:#0062ff;color:#fff;cursor:pointer}
button.danger{background:#c0262d}.error{background:#fee;color:#900;padding:.75rem;border-radius:.4rem}
.notice{background:#eef8ee;color:#155d27;padding:.75rem;border-radius:.4rem}.muted{color:#666}code{word-break:break-all}
form{display:inline}ul{padding-left:1.2rem}`;

/** A POST form for one action, carrying the session token (it doubles as the CSRF token). */
function actionForm(view: PortalView, path: string, action: string, label: string, danger = false) {
  return `<form method="post" action="${escape(path)}"><input type="hidden" name="customer_session_token" value="${escape(view.token)}"><button type="submit" data-action="${action}"${danger ? ' class="danger"' : ""}>${escape(label)}</button></form>`;
}

function subscriptionRows(view: PortalView, base: string): string {
  if (view.subscriptions.length === 0)
    return `<p class="muted" id="no-subscriptions">No subscriptions.</p>`;
  const rows = view.subscriptions.map((s) => {
    const live = s.status === "active" || s.status === "trialing";
    const state = s.cancelAtPeriodEnd
      ? `<span data-field="status">${escape(s.status)}</span> <span class="muted" data-field="cancels">cancels on ${day(s.endsAt ?? s.currentPeriodEnd)}</span>`
      : `<span data-field="status">${escape(s.status)}</span>`;
    const action = !live
      ? ""
      : s.cancelAtPeriodEnd
        ? actionForm(
            view,
            `${base}/subscriptions/${s.id}/uncancel`,
            "uncancel",
            "Keep subscription",
          )
        : actionForm(
            view,
            `${base}/subscriptions/${s.id}/cancel`,
            "cancel",
            "Cancel subscription",
            true,
          );
    return `<tr data-subscription-id="${escape(s.id)}"><td>${escape(s.product)}</td><td>${money(s.amount, s.currency)} / ${escape(s.interval)}</td><td>${state}</td><td>${live ? `renews ${day(s.currentPeriodEnd)}` : `ended ${day(s.endsAt)}`}</td><td>${action}</td></tr>`;
  });
  return `<table><thead><tr><th>Plan</th><th>Price</th><th>Status</th><th>Period</th><th></th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function orderRows(view: PortalView): string {
  if (view.orders.length === 0) return `<p class="muted" id="no-orders">No orders.</p>`;
  const rows = view.orders.map(
    (o) =>
      `<tr data-order-id="${escape(o.id)}"><td>${day(o.createdAt)}</td><td>${escape(o.product)}</td><td data-field="amount">${money(o.totalAmount, o.currency)}</td><td data-field="status">${escape(o.status)}</td><td>${o.receiptUrl ? `<a href="${escape(o.receiptUrl)}">Receipt</a>` : ""}</td></tr>`,
  );
  return `<table><thead><tr><th>Date</th><th>Product</th><th>Total</th><th>Status</th><th></th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function licenseKeyRows(view: PortalView): string {
  if (view.licenseKeys.length === 0)
    return `<p class="muted" id="no-license-keys">No license keys.</p>`;
  const rows = view.licenseKeys.map(
    (k) =>
      `<tr data-license-key-id="${escape(k.id)}"><td>${escape(k.benefit)}</td><td><code data-field="key">${escape(k.key)}</code></td><td data-field="status">${escape(k.status)}</td><td>${k.usage}${k.limitUsage !== null ? ` / ${k.limitUsage}` : ""}</td><td>${k.activations}${k.limitActivations !== null ? ` / ${k.limitActivations}` : ""}</td><td>${day(k.expiresAt)}</td></tr>`,
  );
  return `<table><thead><tr><th>Benefit</th><th>Key</th><th>Status</th><th>Usage</th><th>Activations</th><th>Expires</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function benefitItems(view: PortalView): string {
  if (view.benefits.length === 0) return `<p class="muted" id="no-benefits">No benefits.</p>`;
  return `<ul>${view.benefits
    .map(
      (b) =>
        `<li data-benefit-id="${escape(b.id)}"><span data-field="description">${escape(b.description)}</span> <span class="muted">(${escape(b.type)}, since ${day(b.grantedAt)})</span></li>`,
    )
    .join("")}</ul>`;
}

/**
 * The customer portal a `customer_portal_url` opens: the customer's subscriptions (cancel at
 * period end, or keep), orders with receipts, license keys and benefits. Plain HTML; ids and
 * `data-*` attributes are stable for tests.
 */
export function renderPortalPage(view: PortalView, base: string): string {
  const who = view.customerName
    ? `${escape(view.customerName)} &lt;${escape(view.customerEmail ?? "")}&gt;`
    : escape(view.customerEmail ?? "");
  const banner = view.error
    ? `<p class="error" role="alert" id="portal-error">${escape(view.error)}</p>`
    : view.notice
      ? `<p class="notice" role="status" id="portal-notice">${escape(view.notice)}</p>`
      : "";
  const back = view.returnUrl
    ? `<p><a id="return" href="${escape(view.returnUrl)}">Back to ${escape(view.organizationName)}</a></p>`
    : "";
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escape(view.organizationName)}: customer portal</title><style>${STYLE}</style></head>
<body><main>
<p class="muted" id="organization">${escape(view.organizationName)}</p>
<h1>Customer portal</h1>
<p id="customer">${who}</p>
${back}${banner}
<section id="subscriptions"><h2>Subscriptions</h2>${subscriptionRows(view, base)}</section>
<section id="orders"><h2>Orders</h2>${orderRows(view)}</section>
<section id="license-keys"><h2>License keys</h2>${licenseKeyRows(view)}</section>
<section id="benefits"><h2>Benefits</h2>${benefitItems(view)}</section>
</main></body></html>`;
}

/** An expired, unknown or revoked session link. */
export function renderPortalExpired(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Customer portal</title>
<style>${STYLE}</style></head><body><main><h1>Customer portal</h1>
<p class="error" role="alert" id="portal-expired">This link has expired or is not valid. Ask for a new customer portal link.</p></main></body></html>`;
}
