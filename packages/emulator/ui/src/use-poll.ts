import { useEffect, useState } from "preact/hooks";

/** How often a page reloads what it shows: new events, orders and deliveries appear live. */
export const POLL_MS = 1500;

export interface Polled<T> {
  data: T | undefined;
  error: string | undefined;
}

/**
 * Loads `load()` now, again every POLL_MS and whenever `deps` change; a later answer never
 * is overwritten by an earlier one.
 */
export function usePoll<T>(load: () => Promise<T>, deps: unknown[]): Polled<T> {
  const [state, setState] = useState<Polled<T>>({ data: undefined, error: undefined });
  useEffect(() => {
    let live = true;
    let latest = 0;
    let calls = 0;
    const run = () => {
      const call = ++calls;
      load().then(
        (data) => {
          if (live && call > latest) {
            latest = call;
            setState({ data, error: undefined });
          }
        },
        (error: unknown) => {
          if (live && call > latest) {
            latest = call;
            setState((previous) => ({ data: previous.data, error: String(error) }));
          }
        },
      );
    };
    run();
    const timer = setInterval(run, POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, deps);
  return state;
}
