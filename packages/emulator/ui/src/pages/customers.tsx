import { useState } from "preact/hooks";
import { api, list, type Organization, type Row } from "../api";
import { usePoll } from "../use-poll";
import { ErrorLine, Json, Section, Table, money, nested, text, when } from "../view";

export function CustomersPage(props: { org: Organization }) {
  const { org } = props;
  const [query, setQuery] = useState("");
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const customers = usePoll(() => list(org, "customers/", { query }), [org.id, query]);
  return (
    <div class="split">
      <Section title="Customers" count={customers.data?.pagination.total_count}>
        <input
          type="search"
          name="customer-search"
          placeholder="Search by email, name or external id"
          value={query}
          onInput={(event) => setQuery(event.currentTarget.value)}
        />
        <ErrorLine error={customers.error} />
        <Table
          name="customers"
          rows={customers.data?.items}
          selected={selected}
          onSelect={(row) => setSelected(text(row.id))}
          columns={[
            { title: "Email", render: (c) => text(c.email) },
            { title: "Name", render: (c) => text(c.name) },
            { title: "External id", render: (c) => text(c.external_id) },
            { title: "Created", render: (c) => when(c.created_at) },
          ]}
        />
      </Section>
      {selected ? <CustomerDetail org={org} customerId={selected} /> : null}
    </div>
  );
}

function CustomerDetail(props: { org: Organization; customerId: string }) {
  const { org, customerId } = props;
  const state = usePoll(async () => {
    const [customer, orders, subscriptions, keys, benefits, meters] = await Promise.all([
      api<Row>(org, `customers/${customerId}/state`),
      list(org, "orders/", { customer_id: customerId }),
      list(org, "subscriptions/", { customer_id: customerId }),
      list(org, "license-keys/"),
      list(org, "benefits/"),
      list(org, "meters/"),
    ]);
    const licenseKeys = keys.items.filter((key) => key.customer_id === customerId);
    // Names for the ids the customer state carries.
    const names = new Map<unknown, string>([
      ...benefits.items.map((b): [unknown, string] => [b.id, text(b.description)]),
      ...meters.items.map((m): [unknown, string] => [m.id, text(m.name)]),
    ]);
    return {
      customer,
      orders: orders.items,
      subscriptions: subscriptions.items,
      licenseKeys,
      names,
    };
  }, [org.id, customerId]);
  const data = state.data;
  return (
    <div class="detail" data-customer={customerId}>
      <ErrorLine error={state.error} />
      {data ? (
        <>
          <h2>{text(data.customer.email)}</h2>
          <Section
            title="Granted benefits"
            count={(data.customer.granted_benefits as Row[]).length}
          >
            <Table
              name="grants"
              rows={data.customer.granted_benefits as Row[]}
              columns={[
                {
                  title: "Benefit",
                  render: (g) => (
                    <span title={text(g.benefit_id)}>
                      {data.names.get(g.benefit_id) ?? text(g.benefit_id)}
                    </span>
                  ),
                },
                { title: "Type", render: (g) => text(g.benefit_type) },
                { title: "Granted", render: (g) => when(g.granted_at) },
              ]}
            />
          </Section>
          <Section title="Active meters" count={(data.customer.active_meters as Row[]).length}>
            <Table
              name="active-meters"
              rows={data.customer.active_meters as Row[]}
              columns={[
                {
                  title: "Meter",
                  render: (m) => (
                    <span title={text(m.meter_id)}>
                      {data.names.get(m.meter_id) ?? text(m.meter_id)}
                    </span>
                  ),
                },
                { title: "Consumed", render: (m) => text(m.consumed_units) },
                { title: "Credited", render: (m) => text(m.credited_units) },
                { title: "Balance", render: (m) => text(m.balance) },
              ]}
            />
          </Section>
          <Section title="Subscriptions" count={data.subscriptions.length}>
            <Table
              name="customer-subscriptions"
              rows={data.subscriptions}
              columns={[
                { title: "Product", render: (s) => text(nested(s, "product", "name")) },
                { title: "Status", render: (s) => text(s.status) },
                { title: "Amount", render: (s) => money(s.amount, s.currency) },
                { title: "Period ends", render: (s) => when(s.current_period_end) },
              ]}
            />
          </Section>
          <Section title="Orders" count={data.orders.length}>
            <Table
              name="customer-orders"
              rows={data.orders}
              columns={[
                { title: "Product", render: (o) => text(nested(o, "product", "name")) },
                { title: "Reason", render: (o) => text(o.billing_reason) },
                { title: "Status", render: (o) => text(o.status) },
                { title: "Total", render: (o) => money(o.total_amount, o.currency) },
                { title: "Created", render: (o) => when(o.created_at) },
              ]}
            />
          </Section>
          <Section title="License keys" count={data.licenseKeys.length}>
            <Table
              name="license-keys"
              rows={data.licenseKeys}
              columns={[
                { title: "Key", render: (k) => <code>{text(k.key)}</code> },
                { title: "Status", render: (k) => text(k.status) },
                { title: "Usage", render: (k) => `${text(k.usage)} / ${text(k.limit_usage)}` },
                { title: "Validations", render: (k) => text(k.validations) },
              ]}
            />
          </Section>
          <details>
            <summary>Customer state (JSON)</summary>
            <Json value={data.customer} />
          </details>
        </>
      ) : (
        <p class="muted">Loading…</p>
      )}
    </div>
  );
}
