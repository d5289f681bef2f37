import { useState } from "preact/hooks";
import { api, list, type Organization, type Row } from "../api";
import { usePoll } from "../use-poll";
import { ErrorLine, Json, Section, Table, nested, text, when } from "../view";

export function WebhooksPage(props: { org: Organization }) {
  const { org } = props;
  const [endpointId, setEndpointId] = useState<string | undefined>(undefined);
  const endpoints = usePoll(() => list(org, "webhooks/endpoints"), [org.id]);
  const endpoint = endpointId ?? (endpoints.data?.items[0]?.id as string | undefined);
  return (
    <div>
      <Section title="Webhook endpoints" count={endpoints.data?.items.length}>
        <ErrorLine error={endpoints.error} />
        <Table
          name="endpoints"
          rows={endpoints.data?.items}
          selected={endpoint}
          onSelect={(row) => setEndpointId(text(row.id))}
          columns={[
            { title: "URL", render: (e) => <code>{text(e.url)}</code> },
            { title: "Format", render: (e) => text(e.format) },
            { title: "Enabled", render: (e) => text(e.enabled) },
            { title: "Events", render: (e) => ((e.events as string[]) ?? []).length },
          ]}
        />
      </Section>
      {endpoint ? <Deliveries org={org} endpointId={endpoint} /> : null}
    </div>
  );
}

function Deliveries(props: { org: Organization; endpointId: string }) {
  const { org, endpointId } = props;
  const [open, setOpen] = useState<string | undefined>(undefined);
  const [message, setMessage] = useState<string | undefined>(undefined);
  const deliveries = usePoll(
    () => list(org, "webhooks/deliveries", { endpoint_id: endpointId }),
    [org.id, endpointId],
  );
  const items = deliveries.data?.items ?? [];
  const attempts = new Map<string, number>();
  for (const delivery of items) {
    const eventId = text(nested(delivery, "webhook_event", "id"));
    attempts.set(eventId, (attempts.get(eventId) ?? 0) + 1);
  }
  const redeliver = async (eventId: string) => {
    try {
      await api(org, `webhooks/events/${eventId}/redeliver`, {}, { method: "POST" });
      setMessage(`Redelivery of ${eventId} queued.`);
    } catch (error) {
      setMessage(String(error));
    }
  };
  const shown = items.find((d) => d.id === open);
  return (
    <Section title="Deliveries" count={deliveries.data?.pagination.total_count}>
      <ErrorLine error={deliveries.error} />
      {message ? <p class="notice">{message}</p> : null}
      <Table
        name="deliveries"
        rows={deliveries.data?.items}
        selected={open}
        onSelect={(row) => setOpen(text(row.id))}
        columns={[
          { title: "Time", render: (d) => when(d.created_at) },
          { title: "Event", render: (d) => text(nested(d, "webhook_event", "type")) },
          { title: "Result", render: (d) => (d.succeeded ? "✓" : "✗") + ` ${text(d.http_code)}` },
          {
            title: "Attempts",
            render: (d) => attempts.get(text(nested(d, "webhook_event", "id"))) ?? 1,
          },
          {
            title: "",
            render: (d) => (
              <button
                type="button"
                data-action="redeliver"
                onClick={(e) => {
                  e.stopPropagation();
                  void redeliver(text(nested(d, "webhook_event", "id")));
                }}
              >
                Redeliver
              </button>
            ),
          },
        ]}
      />
      {shown ? <DeliveryDetail delivery={shown} /> : null}
    </Section>
  );
}

function DeliveryDetail(props: { delivery: Row }) {
  const payload = nested(props.delivery, "webhook_event", "payload");
  let parsed: unknown = payload;
  if (typeof payload === "string") {
    try {
      parsed = JSON.parse(payload);
    } catch {
      parsed = payload;
    }
  }
  return (
    <div class="detail" data-delivery={text(props.delivery.id)}>
      <h3>Payload</h3>
      <Json value={parsed} />
      <h3>Response ({text(props.delivery.http_code)})</h3>
      <pre class="json">{text(props.delivery.response)}</pre>
    </div>
  );
}
