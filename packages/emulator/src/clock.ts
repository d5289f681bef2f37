/** The emulator's notion of now; advanced by tests and the control plane, never by waiting. */
export interface Clock {
  now(): Date;
  /** Moves time forward by `ms` (no-op for a real clock's offset < 0). */
  advance(ms: number): void;
  /** Offset from real time, in milliseconds. */
  offset(): number;
}

export function createClock(initialOffsetMs = 0): Clock {
  let offsetMs = initialOffsetMs;
  return {
    now: () => new Date(Date.now() + offsetMs),
    advance(ms) {
      if (ms > 0) offsetMs += ms;
    },
    offset: () => offsetMs,
  };
}
