/**
 * Keeps balance reads and event ingestion of this process apart: Polar's live consumption
 * read while a batch is in flight might or might not include it, and the ledger could not
 * tell. Reads share the gate; a batch waits for running reads, and reads wait for it.
 */
export class IoGate {
  private readers = 0;
  private writing = false;
  private waiters: (() => void)[] = [];

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private async until(ready: () => boolean): Promise<void> {
    while (!ready()) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  async read<T>(run: () => Promise<T>): Promise<T> {
    await this.until(() => !this.writing);
    this.readers += 1;
    try {
      return await run();
    } finally {
      this.readers -= 1;
      this.wake();
    }
  }

  async write<T>(run: () => Promise<T>): Promise<T> {
    await this.until(() => !this.writing && this.readers === 0);
    this.writing = true;
    try {
      return await run();
    } finally {
      this.writing = false;
      this.wake();
    }
  }
}
