import { list, type Organization } from "../api";
import { usePoll } from "../use-poll";
import { ErrorLine, Section, Table, money, nested, text, when } from "../view";

export function CommercePage(props: { org: Organization }) {
  const { org } = props;
  const checkouts = usePoll(() => list(org, "checkouts/", { sorting: "-created_at" }), [org.id]);
  const orders = usePoll(() => list(org, "orders/", { sorting: "-created_at" }), [org.id]);
  const subscriptions = usePoll(
    () => list(org, "subscriptions/", { sorting: "-started_at" }),
    [org.id],
  );
  return (
    <div>
      <Section title="Orders" count={orders.data?.pagination.total_count}>
        <ErrorLine error={orders.error} />
        <Table
          name="orders"
          rows={orders.data?.items}
          columns={[
            { title: "Created", render: (o) => when(o.created_at) },
            { title: "Customer", render: (o) => text(nested(o, "customer", "email")) },
            { title: "Product", render: (o) => text(nested(o, "product", "name")) },
            { title: "Reason", render: (o) => text(o.billing_reason) },
            { title: "Status", render: (o) => text(o.status) },
            { title: "Total", render: (o) => money(o.total_amount, o.currency) },
          ]}
        />
      </Section>
      <Section title="Subscriptions" count={subscriptions.data?.pagination.total_count}>
        <ErrorLine error={subscriptions.error} />
        <Table
          name="subscriptions"
          rows={subscriptions.data?.items}
          columns={[
            { title: "Customer", render: (s) => text(nested(s, "customer", "email")) },
            { title: "Product", render: (s) => text(nested(s, "product", "name")) },
            { title: "Status", render: (s) => text(s.status) },
            {
              title: "Period",
              render: (s) => `${when(s.current_period_start)} → ${when(s.current_period_end)}`,
            },
          ]}
        />
      </Section>
      <Section title="Checkouts" count={checkouts.data?.pagination.total_count}>
        <ErrorLine error={checkouts.error} />
        <Table
          name="checkouts"
          rows={checkouts.data?.items}
          columns={[
            { title: "Created", render: (c) => when(c.created_at) },
            { title: "Status", render: (c) => text(c.status) },
            { title: "Product", render: (c) => text(nested(c, "product", "name")) },
            { title: "Email", render: (c) => text(c.customer_email) },
            { title: "Total", render: (c) => money(c.total_amount, c.currency) },
            {
              title: "Page",
              render: (c) =>
                typeof c.url === "string" ? (
                  <a href={c.url} target="_blank" rel="noreferrer">
                    open
                  </a>
                ) : (
                  "—"
                ),
            },
          ]}
        />
      </Section>
    </div>
  );
}
