import type { OrganizationRecord } from "../organizations/store.js";
import type { AuthorizationRequest } from "./authorization.js";
import type { UserRecord } from "./store.js";

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `body{font-family:system-ui,sans-serif;max-width:30rem;margin:3rem auto;padding:0 1rem;color:#111}
ul{padding-left:1.2rem}label{display:block;margin:.4rem 0}.note{color:#666;font-size:.85rem}
.actions{display:flex;gap:.75rem;margin-top:1.25rem}button{flex:1;padding:.75rem;border:0;border-radius:.4rem;font-size:1rem}
#allow{background:#0062ff;color:#fff}#deny{background:#eee}.error{background:#fee;color:#900;padding:.75rem;border-radius:.4rem}`;

export interface ConsentPageView {
  request: AuthorizationRequest;
  user: UserRecord;
  organizations: OrganizationRecord[];
  scopeNames: Record<string, string>;
}

/**
 * The consent screen of `/oauth2/authorize`: who is signed in, which app asks for what,
 * which organization the token acts for (one, pre-selected when there is only one), and
 * Allow / Deny posting to `/v1/oauth2/consent` as Polar's web app does. Ids are stable so
 * tests (and people) can click through it.
 */
export function renderConsentPage(view: ConsentPageView): string {
  const { request, user, organizations } = view;
  const name = escape(request.client.metadata.client_name || request.client.client_id);
  const hidden = Object.entries(request.params)
    .filter(([key]) => key !== "action" && key !== "organizations")
    .map(([key, value]) => `<input type="hidden" name="${escape(key)}" value="${escape(value)}">`)
    .join("\n");
  const scopes = request.scope
    .split(" ")
    .filter((s) => s !== "")
    .map((s) => `<li>${escape(view.scopeNames[s] ?? s)} <code>${escape(s)}</code></li>`)
    .join("");
  const choices =
    organizations.length === 0
      ? `<p class="error" role="alert">There is no organization to grant access to: create one first (POST /__emulator/organizations).</p>`
      : organizations
          .map(
            (o, i) =>
              `<label><input type="radio" name="organizations" value="${escape(o.id)}" id="organization-${escape(o.slug)}"${i === 0 ? " checked" : ""} required> ${escape(o.name)} <span class="note">(${escape(o.slug)})</span></label>`,
          )
          .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Authorize ${name} · Polar emulator</title><style>${STYLE}</style></head>
<body>
<h1>${name} wants to access your Polar account</h1>
<p class="note" id="signed-in-as">Signed in as <strong>${escape(user.email)}</strong> (the emulator's test user).</p>
<form method="post" action="/v1/oauth2/consent" id="consent">
${hidden}
<h2>It will be able to</h2>
<ul id="scopes">${scopes}</ul>
<h2>For the organization</h2>
${choices}
<div class="actions">
<button type="submit" name="action" value="deny" id="deny" formnovalidate>Deny</button>
<button type="submit" name="action" value="allow" id="allow"${organizations.length === 0 ? " disabled" : ""}>Allow</button>
</div>
</form>
</body></html>`;
}

/** A request the page cannot send back to its client (unknown client, bad redirect URI). */
export function renderAuthorizeErrorPage(error: string, description: string | undefined): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Authorization error · Polar emulator</title><style>${STYLE}</style></head>
<body><h1>This authorization request cannot be completed</h1>
<p class="error" role="alert" id="authorize-error"><code>${escape(error)}</code>${description ? `: ${escape(description)}` : ""}</p>
</body></html>`;
}
