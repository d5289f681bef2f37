/** Resolves on SIGINT or SIGTERM, so a command can close what it started. */
export function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
}
