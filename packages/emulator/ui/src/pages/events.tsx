import { useState } from "preact/hooks";
import { list, type Organization } from "../api";
import { usePoll } from "../use-poll";
import { ErrorLine, Json, Section, Table, text, when } from "../view";

export function EventsPage(props: { org: Organization }) {
  const { org } = props;
  const [name, setName] = useState("");
  const [source, setSource] = useState("");
  const [customer, setCustomer] = useState("");
  const events = usePoll(
    () =>
      list(org, "events/", {
        name,
        source,
        external_customer_id: customer,
        sorting: "-timestamp",
      }),
    [org.id, name, source, customer],
  );
  return (
    <Section title="Events" count={events.data?.pagination.total_count}>
      <div class="filters">
        <input
          name="event-name"
          placeholder="name"
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
        />
        <select
          name="event-source"
          value={source}
          onChange={(e) => setSource(e.currentTarget.value)}
        >
          <option value="">any source</option>
          <option value="user">user</option>
          <option value="system">system</option>
        </select>
        <input
          name="event-customer"
          placeholder="external customer id"
          value={customer}
          onInput={(e) => setCustomer(e.currentTarget.value)}
        />
      </div>
      <ErrorLine error={events.error} />
      <Table
        name="events"
        rows={events.data?.items}
        columns={[
          { title: "Time", render: (e) => when(e.timestamp) },
          { title: "Name", render: (e) => text(e.name) },
          { title: "Source", render: (e) => text(e.source) },
          { title: "Customer", render: (e) => text(e.external_customer_id ?? e.customer_id) },
          { title: "Metadata", render: (e) => <Json value={e.metadata} /> },
        ]}
      />
    </Section>
  );
}
