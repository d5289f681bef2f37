/** Events that change what a customer may use: the paywall forgets its cached view on each. */
export const DEMO_WEBHOOK_EVENTS = [
  "benefit_grant.created",
  "benefit_grant.updated",
  "benefit_grant.cycled",
  "benefit_grant.revoked",
  "subscription.revoked",
  "customer.state_changed",
] as const;

const ENDPOINT_NAME = "polar-mcp demo";

/**
 * Registers the demo server's webhook URL with Polar (the emulator), replacing the one an
 * earlier run of the demo left behind, and returns the endpoint's signing secret.
 */
export async function registerDemoWebhook(
  polarUrl: string,
  accessToken: string,
  url: string,
): Promise<string> {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${polarUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json" },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}`);
    return response.status === 204
      ? undefined
      : ((await response.json()) as Record<string, unknown>);
  };
  const existing = (await call("GET", "/v1/webhooks/endpoints?limit=100")) as {
    items: { id: string; name?: string | null }[];
  };
  for (const endpoint of existing.items.filter((e) => e.name === ENDPOINT_NAME)) {
    await call("DELETE", `/v1/webhooks/endpoints/${endpoint.id}`);
  }
  const created = (await call("POST", "/v1/webhooks/endpoints", {
    url,
    name: ENDPOINT_NAME,
    format: "raw",
    events: DEMO_WEBHOOK_EVENTS,
  })) as { secret: string };
  return created.secret;
}
