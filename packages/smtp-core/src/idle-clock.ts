/**
 * One timer for every connection's inactivity deadline. Connections stamp the time of each
 * read and write (a field store, instead of the timer refresh per packet that per-socket
 * timeouts cost, and one timer object less per connection), and one sweep per tick closes
 * the late ones: a deadline fires at most one tick late, never early.
 */
export interface Sweepable {
  /** Called on every tick with the time of the tick; the connection decides whether it is late. */
  sweep(now: number): void;
}

/** One interval timer that sweeps every member; see {@link Sweepable}. */
export class IdleClock {
  readonly #tickMs: number;
  readonly #members: Iterable<Sweepable>;
  #timer: NodeJS.Timeout | undefined;

  /** `tickMs` is the timeout precision; `members` is read on each tick (e.g. the server's live set). */
  constructor(tickMs: number, members: Iterable<Sweepable>) {
    this.#tickMs = tickMs;
    this.#members = members;
  }

  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => this.#tick(), this.#tickMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #tick(): void {
    const now = Date.now();
    for (const member of this.#members) member.sweep(now);
  }
}

/** Tick often enough that no deadline is missed by more than a quarter of the shortest one. */
export function idleTickMs(...deadlinesMs: readonly number[]): number {
  return Math.max(10, Math.min(1000, Math.floor(Math.min(...deadlinesMs.filter((ms) => ms > 0)) / 4)));
}
