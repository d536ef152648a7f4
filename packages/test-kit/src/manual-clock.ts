/**
 * A clock and scheduler that move only when told to, so tests never sleep. Its shape is the
 * Clock and Scheduler of @sinkhole/mode-providers (structural: the kit depends on no package).
 */
export interface ManualClock {
  /** Milliseconds from an arbitrary origin. */
  now(): number;
  /** Runs callback once the clock has been advanced by delayMs; the returned function cancels it. */
  schedule(delayMs: number, callback: () => void): () => void;
  /** Moves time on by ms, running every callback that falls due, in order. */
  advance(ms: number): void;
  /** Callbacks scheduled and not yet run or cancelled. */
  readonly pendingTimers: number;
}

export function createManualClock(start = 0): ManualClock {
  let now = start;
  let nextId = 0;
  const timers = new Map<number, { readonly at: number; readonly callback: () => void }>();
  return {
    now: () => now,
    schedule: (delayMs, callback) => {
      const id = nextId++;
      timers.set(id, { at: now + delayMs, callback });
      return () => {
        timers.delete(id);
      };
    },
    advance: (ms) => {
      const until = now + ms;
      for (;;) {
        let due: [number, { readonly at: number; readonly callback: () => void }] | undefined;
        for (const entry of timers) {
          if (entry[1].at <= until && (due === undefined || entry[1].at < due[1].at)) due = entry;
        }
        if (due === undefined) break;
        timers.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].callback();
      }
      now = until;
    },
    get pendingTimers() {
      return timers.size;
    },
  };
}
