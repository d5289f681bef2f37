import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { control, getSession, quiesce, type Session } from "./api";
import { CommercePage } from "./pages/commerce";
import { CustomersPage } from "./pages/customers";
import { EventsPage } from "./pages/events";
import { MetersPage } from "./pages/meters";
import { OverviewPage } from "./pages/overview";
import { WebhooksPage } from "./pages/webhooks";
import { usePoll } from "./use-poll";
import { ErrorLine, when } from "./view";
import "./styles.css";

const PAGES = {
  overview: { title: "Organization & products", view: OverviewPage },
  customers: { title: "Customers", view: CustomersPage },
  commerce: { title: "Checkouts & orders", view: CommercePage },
  events: { title: "Events", view: EventsPage },
  meters: { title: "Meters", view: MetersPage },
  webhooks: { title: "Webhooks", view: WebhooksPage },
} as const;
type PageName = keyof typeof PAGES;

const pageOf = (hash: string): PageName => {
  const name = hash.replace(/^#\/?/, "");
  return name in PAGES ? (name as PageName) : "overview";
};

function useHashPage(): PageName {
  const [page, setPage] = useState(pageOf(location.hash));
  useEffect(() => {
    const update = () => setPage(pageOf(location.hash));
    addEventListener("hashchange", update);
    return () => removeEventListener("hashchange", update);
  }, []);
  return page;
}

function App() {
  const page = useHashPage();
  const [generation, setGeneration] = useState(0);
  const [orgIndex, setOrgIndex] = useState(0);
  const [busy, setBusy] = useState<string | undefined>(undefined);
  const [actionError, setActionError] = useState<string | undefined>(undefined);
  // A session answered for an earlier generation (before a reset) is not used.
  const polled = usePoll(async () => ({ generation, session: await getSession() }), [generation]);
  const session: { data: Session | undefined; error: string | undefined } = {
    data: polled.data?.generation === generation ? polled.data.session : undefined,
    error: polled.error,
  };
  const clock = usePoll(() => control<{ now: string; offset_ms: number }>("clock"), [generation]);
  const act = async (label: string, path: string, body: unknown) => {
    setBusy(label);
    setActionError(undefined);
    try {
      if (path === "reset") await quiesce();
      await control(path, body);
      setGeneration((g) => g + 1);
    } catch (error) {
      setActionError(String(error));
    } finally {
      setBusy(undefined);
    }
  };
  const orgs = session.data?.organizations ?? [];
  const org = orgs[Math.min(orgIndex, orgs.length - 1)];
  const View = PAGES[page].view;
  return (
    <div class="app">
      <header>
        <h1>Polar emulator</h1>
        {orgs.length > 1 ? (
          <select
            name="organization"
            value={String(orgIndex)}
            onChange={(e) => setOrgIndex(Number(e.currentTarget.value))}
          >
            {orgs.map((o, i) => (
              <option key={o.id} value={String(i)}>
                {o.name}
              </option>
            ))}
          </select>
        ) : null}
        <div class="clock">
          <span data-clock>{clock.data ? when(clock.data.now) : "…"}</span>
          <button
            type="button"
            disabled={!!busy}
            onClick={() => act("day", "clock/advance", { days: 1 })}
          >
            +1 day
          </button>
          <button
            type="button"
            disabled={!!busy}
            onClick={() => act("month", "clock/advance", { months: 1 })}
          >
            Advance 1 month
          </button>
          <button type="button" disabled={!!busy} onClick={() => act("seed", "seed/demo", {})}>
            Demo seed
          </button>
          <button
            type="button"
            class="danger"
            disabled={!!busy}
            onClick={() => {
              if (confirm("Delete everything in this emulator?")) void act("reset", "reset", {});
            }}
          >
            Reset
          </button>
          {busy ? <span class="muted">working…</span> : null}
        </div>
      </header>
      <nav>
        {(Object.keys(PAGES) as PageName[]).map((name) => (
          <a key={name} href={`#/${name}`} class={name === page ? "active" : ""}>
            {PAGES[name].title}
          </a>
        ))}
      </nav>
      <main>
        <ErrorLine error={actionError ?? session.error} />
        {org ? (
          <View key={`${org.id}-${generation}`} org={org} />
        ) : session.data ? (
          <p class="muted">
            No organization yet: press <strong>Demo seed</strong>, or create one through the control
            plane.
          </p>
        ) : (
          <p class="muted">Loading…</p>
        )}
      </main>
    </div>
  );
}

const root = document.getElementById("app");
if (root) render(<App />, root);
