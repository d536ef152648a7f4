import type { Clock } from '@sinkhole/mode-providers';

interface Entry {
  readonly firstSeen: number;
  /** The connection that created the entry: its own later attempts do not count as retries. */
  readonly attempt: string;
}

export interface GreylistTableOptions {
  readonly windowMs: number;
  readonly minDelayMs: number;
  readonly maxEntries: number;
}

/**
 * Greylisting memory: when each key (a client IP, or an IP + sender + recipient triplet) was
 * first seen. A key passes when it comes back from another connection at least minDelayMs
 * and less than windowMs after its first attempt; after the window it is new again.
 *
 * The Map's insertion order is first-seen order (entries are only ever added with the
 * current time, and a stale one is deleted before it is added again), so expired entries
 * are always at the front and the oldest entry is the first one: expiry and eviction are
 * O(1) per entry.
 */
export class GreylistTable {
  readonly #entries = new Map<string, Entry>();
  readonly #options: GreylistTableOptions;
  readonly #clock: Clock;
  #evicted = 0;

  constructor(options: GreylistTableOptions, clock: Clock) {
    this.#options = options;
    this.#clock = clock;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Entries dropped because the table was full (not counting expired ones). */
  get evicted(): number {
    return this.#evicted;
  }

  /** Forgets every key. */
  clear(): void {
    this.#entries.clear();
  }

  /** Records an attempt for `key` by connection `attempt`; true when it passes. */
  attempt(key: string, attempt: string): boolean {
    const now = this.#clock.now();
    const { windowMs, minDelayMs, maxEntries } = this.#options;
    this.#expire(now);
    const entry = this.#entries.get(key);
    if (entry !== undefined) {
      const age = now - entry.firstSeen;
      if (age < windowMs) return entry.attempt !== attempt && age >= minDelayMs;
      this.#entries.delete(key);
    }
    this.#entries.set(key, { firstSeen: now, attempt });
    if (this.#entries.size > maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) {
        this.#entries.delete(oldest.value);
        this.#evicted++;
      }
    }
    return false;
  }

  #expire(now: number): void {
    const windowMs = this.#options.windowMs;
    for (const [key, entry] of this.#entries) {
      if (now - entry.firstSeen < windowMs) return;
      this.#entries.delete(key);
    }
  }
}
