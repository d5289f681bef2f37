import { useState } from "preact/hooks";
import { api, control, list, type Organization, type Row } from "../api";
import { UsageChart } from "../chart";
import { usePoll } from "../use-poll";
import { ErrorLine, Section, Table, text } from "../view";

const DAY_MS = 86_400_000;

export function MetersPage(props: { org: Organization }) {
  const { org } = props;
  const [meterId, setMeterId] = useState<string | undefined>(undefined);
  const [customerId, setCustomerId] = useState("");
  const meters = usePoll(() => list(org, "meters/"), [org.id]);
  const customers = usePoll(() => list(org, "customers/"), [org.id]);
  const meter = meterId ?? (meters.data?.items[0]?.id as string | undefined);
  const usage = usePoll(async () => {
    if (!meter) return undefined;
    // The window follows the emulator's clock, which tests move forward.
    const clock = await control<{ now: string }>("clock");
    const now = Date.parse(clock.now);
    return api<{ quantities: Row[]; total: number }>(org, `meters/${meter}/quantities`, {
      start_timestamp: new Date(now - 30 * DAY_MS).toISOString(),
      end_timestamp: new Date(now + DAY_MS).toISOString(),
      interval: "day",
      customer_id: customerId,
    });
  }, [org.id, meter, customerId]);
  const points = usage.data?.quantities ?? [];
  return (
    <div>
      <Section title="Meters" count={meters.data?.items.length}>
        <ErrorLine error={meters.error} />
        <Table
          name="meters"
          rows={meters.data?.items}
          selected={meter}
          onSelect={(row) => setMeterId(text(row.id))}
          columns={[
            { title: "Name", render: (m) => text(m.name) },
            { title: "Filter", render: (m) => <code>{text(m.filter)}</code> },
            { title: "Aggregation", render: (m) => <code>{text(m.aggregation)}</code> },
          ]}
        />
      </Section>
      {meter ? (
        <Section title="Usage over the last 30 days (per day)">
          <label>
            Customer{" "}
            <select
              name="meter-customer"
              value={customerId}
              onChange={(e) => setCustomerId(e.currentTarget.value)}
            >
              <option value="">all customers</option>
              {(customers.data?.items ?? []).map((c) => (
                <option key={text(c.id)} value={text(c.id)}>
                  {text(c.email)}
                </option>
              ))}
            </select>
          </label>
          <ErrorLine error={usage.error} />
          <p>
            Total: <strong data-total>{usage.data ? text(usage.data.total) : "…"}</strong>
          </p>
          {usage.data ? (
            <UsageChart
              label="usage"
              times={points.map((p) => Date.parse(text(p.timestamp)) / 1000)}
              values={points.map((p) => Number(p.quantity))}
            />
          ) : null}
        </Section>
      ) : null}
    </div>
  );
}
