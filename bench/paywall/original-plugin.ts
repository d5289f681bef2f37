// The reference: the original plugin's algorithm (@xmcp-dev/polar) as the seed describes it,
// four sequential Polar requests before every paid call: validate the key, create a checkout,
// read the customer state, ingest the usage event.
import { polarCall, type BenchSeed } from "./shared.js";

export async function originalPaidCall(
  url: string,
  seed: BenchSeed,
  event: { name: string; metadata: Record<string, unknown> },
): Promise<boolean> {
  const call = <T>(method: string, path: string, body?: unknown) =>
    polarCall<T>(url, seed.accessToken, method, path, body);
  const key = await call<{ status: string; customer_id: string }>(
    "POST",
    "/v1/license-keys/validate",
    {
      key: seed.licenseKey,
      organization_id: seed.organizationId,
    },
  );
  if (key.status !== "granted") return false;
  // The plugin created a checkout on every call, to put its URL in messages.
  await call("POST", "/v1/checkouts/", { products: [seed.productId] }).catch(() => undefined);
  const state = await call<{ active_meters: { balance: number }[] }>(
    "GET",
    `/v1/customers/${key.customer_id}/state`,
  );
  if (!state.active_meters.some((m) => m.balance > 0)) return false;
  await call("POST", "/v1/events/ingest", {
    events: [{ name: event.name, customer_id: key.customer_id, metadata: event.metadata }],
  });
  return true;
}
