/**
 * Keeps balance reads and event ingestion of this process apart: Polar's live consumption
 * read while a batch is in flight might or might not include it, and the ledger could not
 * tell. Reads share the gate; a batch waits for running reads, and reads wait for it. A
 * waiting batch goes before reads that arrive after it: with thousands of first sights
 * overlapping one another, reads alone would never leave the gate empty and ingestion would
 * starve (the scale bench saw it at N = 10,000).
 */
export class IoGate {
  private readers = 0;
  private writing = false;
  private writersWaiting = 0;
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
    await this.until(() => !this.writing && this.writersWaiting === 0);
    this.readers += 1;
    try {
      return await run();
    } finally {
      this.readers -= 1;
      this.wake();
    }
  }

  async write<T>(run: () => Promise<T>): Promise<T> {
    this.writersWaiting += 1;
    try {
      await this.until(() => !this.writing && this.readers === 0);
    } finally {
      this.writersWaiting -= 1;
    }
    this.writing = true;
    try {
      return await run();
    } finally {
      this.writing = false;
      this.wake();
    }
  }
}
