/**
 * Where the previous sweep of a list sorted newest-first stopped: the newest timestamp seen,
 * and the ids seen at exactly that timestamp (so ties are neither missed nor reported twice).
 */
export class Watermark {
  private at: string | undefined;
  private idsAt = new Set<string>();

  get started(): boolean {
    return this.at !== undefined;
  }

  /** Whether a row is new since the mark (rows arrive newest first). */
  isNew(id: string, timestamp: string): boolean {
    if (this.at === undefined) return true;
    const t = Date.parse(timestamp);
    const mark = Date.parse(this.at);
    return t > mark || (t === mark && !this.idsAt.has(id));
  }

  /** Whether paging can stop: this row is older than the mark. */
  isPast(timestamp: string): boolean {
    return this.at !== undefined && Date.parse(timestamp) < Date.parse(this.at);
  }

  /** Moves the mark to the newest of the rows seen in this sweep. */
  advance(rows: readonly { id: string; timestamp: string }[]): void {
    for (const { id, timestamp } of rows) {
      const t = Date.parse(timestamp);
      const mark = this.at === undefined ? -Infinity : Date.parse(this.at);
      if (t > mark) {
        this.at = timestamp;
        this.idsAt = new Set([id]);
      } else if (t === mark) this.idsAt.add(id);
    }
  }

  /** Starts the mark at "now" when a list is still empty. */
  startAt(timestamp: string): void {
    if (this.at === undefined) this.at = timestamp;
  }
}
