import type { Clock } from '@sinkhole/mode-providers';
import type { LedgerKeyKind } from './ledger-key.js';
import type { LedgerOptions } from './ledger-options.js';

/** What the sinkhole answered to one attempt. */
export interface AttemptOutcome {
  /** The reply code; 0 when nothing was sent (a silent close or a hang). */
  readonly code: number;
  readonly enhanced: string | undefined;
  /** How it was delivered when a rule added to it, e.g. `delay 2000ms`, `close rst`, `hang`. */
  readonly action?: string;
}

/** What is known of an attempt when it is recorded. */
export interface AttemptDetails {
  readonly outcome: AttemptOutcome;
  /** The SMTP phase that was answered, e.g. `rcpt`. */
  readonly phase: string;
  /** The client's address and port, e.g. `192.0.2.1:40000`. */
  readonly client: string;
  /** The engine's connection id. */
  readonly connection: string;
  /** The RFC 3461 DSN parameters of the recipient, when the client sent any. */
  readonly dsn?: Readonly<Record<string, string>>;
}

export interface AttemptRecord extends AttemptDetails {
  /** 1 for the first attempt the sinkhole ever saw for this key. */
  readonly attempt: number;
  /** The injected clock's time of the attempt (ms, monotonic). */
  readonly at: number;
  /** Milliseconds since the key's first attempt. */
  readonly sinceFirstMs: number;
}

export interface LedgerEntry {
  readonly key: string;
  readonly kind: LedgerKeyKind;
  /** Clock time of the first attempt. */
  readonly firstSeen: number;
  /** Clock time of the latest attempt. */
  readonly lastSeen: number;
  /** Attempts counted, including those whose details were dropped (maxHistory). */
  readonly attempts: number;
  /** The latest attempts, oldest first, at most maxHistory. */
  readonly history: readonly AttemptRecord[];
}

interface MutableEntry {
  readonly key: string;
  readonly kind: LedgerKeyKind;
  readonly firstSeen: number;
  lastSeen: number;
  attempts: number;
  /** The latest attempts; once maxHistory are kept, a ring whose oldest is at `oldest`. */
  readonly history: AttemptRecord[];
  oldest: number;
  /** What a script keeps between attempts (its cursor); opaque to the ledger. */
  state: unknown;
}

/** The attempt a key is about to make: its number and the time since the key was first seen. */
export interface UpcomingAttempt {
  readonly attempt: number;
  readonly sinceFirstMs: number;
  /** What the last record() stored for the key, undefined for a new key. */
  readonly state: unknown;
}

/**
 * What the MTA did: per key, when it was first seen and each attempt with its outcome.
 *
 * Bounded in entries and age. The Map is kept in order of the latest attempt (a recorded
 * key moves to the end), so the entry attempted least recently is always first: expiry and
 * eviction each cost O(1) per entry dropped. Time comes only from the injected clock.
 */
export class AttemptLedger {
  readonly #entries = new Map<string, MutableEntry>();
  readonly #options: LedgerOptions;
  readonly #clock: Clock;
  #evicted = 0;
  /** The key recorded last: already at the end of the Map's order. */
  #newest: string | undefined;
  /** No entry can have aged out before this clock time (the oldest entry's expiry, or earlier). */
  #expiresNoSoonerThan = Number.NEGATIVE_INFINITY;

  constructor(options: LedgerOptions, clock: Clock) {
    this.#options = options;
    this.#clock = clock;
  }

  get size(): number {
    this.#expire(this.#clock.now());
    return this.#entries.size;
  }

  /** Entries dropped because the ledger was full (not counting those that aged out). */
  get evicted(): number {
    return this.#evicted;
  }

  get options(): LedgerOptions {
    return this.#options;
  }

  /** The number the next attempt of key gets, without recording it. */
  upcoming(key: string): UpcomingAttempt {
    const now = this.#clock.now();
    this.#expire(now);
    const entry = this.#entries.get(key);
    return entry === undefined
      ? { attempt: 1, sinceFirstMs: 0, state: undefined }
      : { attempt: entry.attempts + 1, sinceFirstMs: now - entry.firstSeen, state: entry.state };
  }

  /** Records an attempt of key and returns it; state, when given, is kept for the next upcoming(). */
  record(key: string, kind: LedgerKeyKind, details: AttemptDetails, state?: unknown): AttemptRecord {
    const now = this.#clock.now();
    this.#expire(now);
    let entry = this.#entries.get(key);
    if (entry === undefined) {
      entry = { key, kind, firstSeen: now, lastSeen: now, attempts: 0, history: [], oldest: 0, state: undefined };
      this.#entries.set(key, entry);
    } else if (key !== this.#newest) {
      // To the end of the order; a key attempted again and again (a retry loop) is there already.
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    }
    this.#newest = key;
    entry.attempts++;
    entry.lastSeen = now;
    if (state !== undefined) entry.state = state;
    // The details' fields one by one, in their order: a spread after other fields copies them the slow, generic way.
    const { outcome, phase, client, connection, dsn } = details;
    const attempt = entry.attempts;
    const sinceFirstMs = now - entry.firstSeen;
    const record: AttemptRecord =
      dsn === undefined
        ? { attempt, at: now, sinceFirstMs, outcome, phase, client, connection }
        : { attempt, at: now, sinceFirstMs, outcome, phase, client, connection, dsn };
    if (entry.history.length < this.#options.maxHistory) {
      entry.history.push(record);
    } else {
      entry.history[entry.oldest] = record;
      entry.oldest = (entry.oldest + 1) % entry.history.length;
    }
    if (this.#entries.size > this.#options.maxEntries) this.#evictOldest();
    return record;
  }

  /** One key's entry, or undefined when it is unknown or aged out. */
  get(key: string): LedgerEntry | undefined {
    this.#expire(this.#clock.now());
    const entry = this.#entries.get(key);
    return entry === undefined ? undefined : snapshot(entry);
  }

  /** Every entry, the one attempted least recently first. Snapshots: later attempts do not change them. */
  entries(): LedgerEntry[] {
    this.#expire(this.#clock.now());
    return [...this.#entries.values()].map(snapshot);
  }

  /** Forgets everything: every key's next attempt is attempt 1 again. */
  clear(): void {
    this.#entries.clear();
    this.#newest = undefined;
    this.#expiresNoSoonerThan = Number.NEGATIVE_INFINITY;
  }

  #evictOldest(): void {
    const oldest = this.#entries.keys().next();
    if (oldest.done === true) return;
    this.#entries.delete(oldest.value);
    this.#evicted++;
  }

  /** Drops the entries not attempted for maxAgeMs; between expiries, one comparison. */
  #expire(now: number): void {
    if (now < this.#expiresNoSoonerThan) return;
    const maxAgeMs = this.#options.maxAgeMs;
    for (const [key, entry] of this.#entries) {
      if (now - entry.lastSeen < maxAgeMs) {
        this.#expiresNoSoonerThan = entry.lastSeen + maxAgeMs;
        return;
      }
      this.#entries.delete(key);
    }
    this.#expiresNoSoonerThan = Number.NEGATIVE_INFINITY;
  }
}

function snapshot(entry: MutableEntry): LedgerEntry {
  return {
    key: entry.key,
    kind: entry.kind,
    firstSeen: entry.firstSeen,
    lastSeen: entry.lastSeen,
    attempts: entry.attempts,
    history: [...entry.history.slice(entry.oldest), ...entry.history.slice(0, entry.oldest)],
  };
}
