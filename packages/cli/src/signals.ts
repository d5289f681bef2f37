let received = 0;

/**
 * Resolves on SIGINT or SIGTERM, so a command can close what it started and exit 0. The
 * handlers stay installed: a library using signal-exit re-raises a signal when it sees no
 * other listener, which would kill the process mid-close; a second signal forces exit 130.
 */
export function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const onSignal = () => {
      received += 1;
      if (received > 1) process.exit(130);
      resolve();
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}
