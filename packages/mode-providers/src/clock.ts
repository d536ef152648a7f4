/** Milliseconds from an arbitrary origin; only differences matter. */
export interface Clock {
  now(): number;
}

/** Runs callback after delayMs; the returned function cancels it. */
export interface Scheduler {
  schedule(delayMs: number, callback: () => void): () => void;
}

/** Monotonic, so wall-clock steps (NTP, manual changes) never expire or freeze the cache. */
export const SYSTEM_CLOCK: Clock = { now: () => performance.now() };

/** Timers that never keep the process alive on their own. */
export const SYSTEM_SCHEDULER: Scheduler = {
  schedule: (delayMs, callback) => {
    const timer = setTimeout(callback, delayMs);
    timer.unref();
    return () => clearTimeout(timer);
  },
};
