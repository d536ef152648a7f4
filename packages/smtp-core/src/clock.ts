/**
 * Monotonic time and one-shot timers. Every deadline of the engine goes through one clock:
 * hook waits, the idle timeout and the close drain. Tests inject a manual clock and move it
 * by hand, so no test has to sleep through a deadline.
 */
export interface ProtocolClock {
  /** Milliseconds on a monotonic scale: only differences mean anything (not wall-clock time). */
  now(): number;
  /** Calls `fn` once after `ms`; returns a handle for {@link clear}. */
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const SYSTEM_CLOCK: ProtocolClock = {
  now: () => performance.now(),
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
