import type { ProtocolClock } from './clock.js';

/**
 * One timer for every connection's inactivity deadline. Connections stamp the time of each
 * read and write (a field store, instead of the timer refresh per packet that per-socket
 * timeouts cost, and one timer object less per connection), and one sweep per tick closes
 * the late ones: a deadline fires at most one tick late, never early.
 */
export interface Sweepable {
  /** Called on every tick with the clock's time; the connection decides whether it is late. */
  sweep(now: number): void;
}

/** One repeating tick on the injected clock that sweeps every member; see {@link Sweepable}. */
export class IdleClock {
  readonly #tickMs: number;
  readonly #members: Iterable<Sweepable>;
  readonly #clock: ProtocolClock;
  readonly #tick = (): void => this.#onTick();
  #timer: unknown;
  #running = false;

  /** `tickMs` is the timeout precision; `members` is read on each tick (e.g. the server's live set). */
  constructor(tickMs: number, members: Iterable<Sweepable>, clock: ProtocolClock) {
    this.#tickMs = tickMs;
    this.#members = members;
    this.#clock = clock;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#arm();
  }

  stop(): void {
    this.#running = false;
    if (this.#timer !== undefined) this.#clock.clear(this.#timer);
    this.#timer = undefined;
  }

  #arm(): void {
    const timer = this.#clock.set(this.#tick, this.#tickMs);
    (timer as { unref?: () => void } | undefined)?.unref?.();
    this.#timer = timer;
  }

  #onTick(): void {
    if (!this.#running) return;
    this.#arm();
    const now = this.#clock.now();
    for (const member of this.#members) member.sweep(now);
  }
}

/** Tick often enough that no deadline is missed by more than a quarter of the shortest one. */
export function idleTickMs(...deadlinesMs: readonly number[]): number {
  return Math.max(10, Math.min(1000, Math.floor(Math.min(...deadlinesMs.filter((ms) => ms > 0)) / 4)));
}
