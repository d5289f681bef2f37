import { list, type Organization, type Row } from "../api";
import { usePoll } from "../use-poll";
import { ErrorLine, Section, Table, money, nested, text } from "../view";

function priceText(price: Row): string {
  switch (price.amount_type) {
    case "fixed":
      return money(price.price_amount, price.price_currency);
    case "free":
      return "free";
    case "custom":
      return "pay what you want";
    case "metered_unit":
      return `${text(price.unit_amount)}¢ per unit of ${text(nested(price, "meter", "name"))}`;
    case "seat_based":
      return "per seat";
    default:
      return text(price.amount_type);
  }
}

export function OverviewPage(props: { org: Organization }) {
  const { org } = props;
  const products = usePoll(() => list(org, "products/", { is_archived: "false" }), [org.id]);
  const benefits = usePoll(() => list(org, "benefits/"), [org.id]);
  return (
    <div>
      <Section title={`Organization ${org.name}`}>
        <p>
          id <code>{org.id}</code> · slug <code>{org.slug}</code>
        </p>
      </Section>
      <Section title="Products" count={products.data?.items.length}>
        <ErrorLine error={products.error} />
        <Table
          name="products"
          rows={products.data?.items}
          columns={[
            { title: "Name", render: (p) => text(p.name) },
            {
              title: "Billing",
              render: (p) => (p.is_recurring ? `every ${text(p.recurring_interval)}` : "one-time"),
            },
            {
              title: "Prices",
              render: (p) => ((p.prices as Row[] | undefined) ?? []).map(priceText).join(", "),
            },
            {
              title: "Benefits",
              render: (p) =>
                ((p.benefits as Row[] | undefined) ?? [])
                  .map((b) => `${text(b.description)} (${text(b.type)})`)
                  .join(", ") || "—",
            },
          ]}
        />
      </Section>
      <Section title="Benefits" count={benefits.data?.items.length}>
        <ErrorLine error={benefits.error} />
        <Table
          name="benefits"
          rows={benefits.data?.items}
          columns={[
            { title: "Description", render: (b) => text(b.description) },
            { title: "Type", render: (b) => text(b.type) },
            { title: "Properties", render: (b) => <code>{text(b.properties)}</code> },
          ]}
        />
      </Section>
    </div>
  );
}
