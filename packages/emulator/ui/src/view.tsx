import type { ComponentChildren } from "preact";
import type { Row } from "./api";

/** A field of an API object, as text. */
export function text(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

export const money = (cents: unknown, currency: unknown = "usd"): string =>
  typeof cents === "number"
    ? `${(cents / 100).toFixed(2)} ${String(currency ?? "usd").toUpperCase()}`
    : "—";

export const when = (value: unknown): string =>
  typeof value === "string"
    ? value.replace("T", " ").replace(/\.\d+/, "").replace("Z", " UTC")
    : "—";

export const field = (row: Row, key: string): unknown => row[key];

export const nested = (row: Row, ...path: string[]): unknown => {
  let value: unknown = row;
  for (const key of path) {
    value = value && typeof value === "object" ? (value as Row)[key] : undefined;
  }
  return value;
};

export interface Column {
  title: string;
  render: (row: Row) => ComponentChildren;
}

export function Table(props: {
  rows: Row[] | undefined;
  columns: Column[];
  name: string;
  onSelect?: (row: Row) => void;
  selected?: string | undefined;
}) {
  if (!props.rows) return <p class="muted">Loading…</p>;
  if (props.rows.length === 0) return <p class="muted">No {props.name} yet.</p>;
  return (
    <table data-table={props.name}>
      <thead>
        <tr>
          {props.columns.map((column) => (
            <th key={column.title}>{column.title}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr
            key={text(row.id)}
            data-id={text(row.id)}
            class={[
              props.onSelect ? "clickable" : "",
              props.selected === row.id ? "selected" : "",
            ].join(" ")}
            onClick={props.onSelect ? () => props.onSelect?.(row) : undefined}
          >
            {props.columns.map((column) => (
              <td key={column.title}>{column.render(row)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Json(props: { value: unknown }) {
  return <pre class="json">{JSON.stringify(props.value, null, 2)}</pre>;
}

export function Section(props: {
  title: string;
  children: ComponentChildren;
  count?: number | undefined;
}) {
  return (
    <section>
      <h2>
        {props.title}
        {props.count !== undefined ? <span class="count">{props.count}</span> : null}
      </h2>
      {props.children}
    </section>
  );
}

export function ErrorLine(props: { error: string | undefined }) {
  return props.error ? (
    <p class="error" role="alert">
      {props.error}
    </p>
  ) : null;
}
