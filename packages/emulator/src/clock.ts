/** The emulator's notion of now; advanced by tests and the control plane, never by waiting. */
export interface Clock {
  now(): Date;
  /** Moves time forward by `ms` (no-op for a real clock's offset < 0). */
  advance(ms: number): void;
  /** Offset from real time, in milliseconds. */
  offset(): number;
  /** Calls `listener` after every forward move (webhook retries come due, etc.). */
  onAdvance(listener: (ms: number) => void): void;
}

export function createClock(initialOffsetMs = 0): Clock {
  let offsetMs = initialOffsetMs;
  const listeners: ((ms: number) => void)[] = [];
  return {
    now: () => new Date(Date.now() + offsetMs),
    advance(ms) {
      if (ms <= 0) return;
      offsetMs += ms;
      for (const listener of listeners) listener(ms);
    },
    offset: () => offsetMs,
    onAdvance: (listener) => void listeners.push(listener),
  };
}
