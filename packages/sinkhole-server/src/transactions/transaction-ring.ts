import type { AcceptedTransaction, NewTransaction } from './accepted-transaction.js';

/** Which transactions a reader wants; see matches() for the HTTP query's filter. */
export type TransactionTest = (transaction: AcceptedTransaction) => boolean;

const ANY: TransactionTest = () => true;

export interface TransactionRingOptions {
  /** Transactions kept; the oldest go first. */
  readonly maxEntries: number;
  /** Approximate bytes kept (addresses and headers); the oldest go first past it. */
  readonly maxBytes: number;
  /** Readers waiting at once; past it a wait returns at once with what there is. */
  readonly maxWaiters: number;
}

export const DEFAULT_TRANSACTION_RING: TransactionRingOptions = Object.freeze({
  maxEntries: 1000,
  maxBytes: 8 * 1024 * 1024,
  maxWaiters: 256,
});

interface Waiter {
  readonly test: TransactionTest;
  readonly resolve: (found: AcceptedTransaction | undefined) => void;
  readonly reject: (error: unknown) => void;
}

/** Rough bytes one entry holds: its strings (UTF-16, two bytes a unit) and a fixed overhead. */
function weight(t: NewTransaction): number {
  let chars = t.id.length + t.client.length + t.mode.length + (t.helo?.length ?? 0) + t.mailFrom.length + (t.headers?.length ?? 0);
  for (const r of t.rcptTo) chars += r.length + 16;
  return 256 + chars * 2;
}

/**
 * The last accepted transactions, bounded in count and bytes, with waits: a reader can ask for
 * the first transaction matching a filter and be woken the moment one is recorded.
 */
export class TransactionRing {
  readonly #options: TransactionRingOptions;
  #items: AcceptedTransaction[] = [];
  #weights: number[] = [];
  #head = 0;
  #bytes = 0;
  #seq = 0;
  #isoMs = Number.NaN;
  #iso = '';
  readonly #waiters = new Set<Waiter>();

  constructor(options: TransactionRingOptions = DEFAULT_TRANSACTION_RING) {
    if (!Number.isSafeInteger(options.maxEntries) || options.maxEntries < 1) throw new RangeError('the transaction ring needs room for at least 1 entry');
    this.#options = options;
  }

  get size(): number {
    return this.#items.length - this.#head;
  }

  /** The seq of the newest transaction (0 before the first): the cursor for "from now on". */
  get lastSeq(): number {
    return this.#seq;
  }

  get waiting(): number {
    return this.#waiters.size;
  }

  /**
   * Keeps a transaction. The entry is built field by field (no spread of the caller's object,
   * which may be the log record with more fields): this runs once per accepted message.
   */
  record(t: NewTransaction): AcceptedTransaction {
    const entry: { -readonly [K in keyof AcceptedTransaction]: AcceptedTransaction[K] } = {
      seq: ++this.#seq,
      id: t.id,
      time: this.#time(),
      client: t.client,
      mode: t.mode,
      helo: t.helo,
      mailFrom: t.mailFrom,
      rcptTo: t.rcptTo,
      size: t.size,
    };
    if (t.body !== undefined) entry.body = t.body;
    if (t.chunks !== undefined) entry.chunks = t.chunks;
    if (t.dsn !== undefined) entry.dsn = t.dsn;
    if (t.headers !== undefined) entry.headers = t.headers;
    if (t.headersTruncated !== undefined && t.headers !== undefined) entry.headersTruncated = t.headersTruncated;
    const w = weight(t);
    this.#items.push(entry);
    this.#weights.push(w);
    this.#bytes += w;
    while (this.size > this.#options.maxEntries || (this.#bytes > this.#options.maxBytes && this.size > 1)) this.#dropOldest();
    for (const waiter of this.#waiters) {
      let hit: boolean;
      try {
        hit = waiter.test(entry);
      } catch (error) {
        // A caller's predicate that throws fails its own wait, never the session that recorded.
        waiter.reject(error);
        continue;
      }
      if (hit) waiter.resolve(entry);
    }
    return entry;
  }

  /** Oldest first. */
  list(test: TransactionTest = ANY, limit = Number.POSITIVE_INFINITY): AcceptedTransaction[] {
    const out: AcceptedTransaction[] = [];
    for (let i = this.#head; i < this.#items.length && out.length < limit; i++) {
      const t = this.#items[i] as AcceptedTransaction;
      if (test(t)) out.push(t);
    }
    return out;
  }

  /**
   * The first transaction matching the filter: one already kept, or the next one recorded
   * within timeoutMs (undefined after it). `signal` abandons the wait (the client went away).
   */
  waitFor(test: TransactionTest, timeoutMs: number, signal?: AbortSignal): Promise<AcceptedTransaction | undefined> {
    const [found] = this.list(test, 1);
    if (found !== undefined || timeoutMs <= 0 || signal?.aborted === true || this.#waiters.size >= this.#options.maxWaiters) {
      return Promise.resolve(found);
    }
    return new Promise((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', abandon);
        this.#waiters.delete(waiter);
      };
      const done = (value: AcceptedTransaction | undefined): void => {
        finish();
        resolve(value);
      };
      const waiter: Waiter = {
        test,
        resolve: done,
        reject: (error) => {
          finish();
          reject(error);
        },
      };
      const abandon = (): void => done(undefined);
      const timer = setTimeout(abandon, timeoutMs);
      timer.unref();
      signal?.addEventListener('abort', abandon, { once: true });
      this.#waiters.add(waiter);
    });
  }

  clear(): void {
    this.#items = [];
    this.#weights = [];
    this.#head = 0;
    this.#bytes = 0;
  }

  /** Wakes every waiter with nothing (shutdown). */
  close(): void {
    for (const waiter of [...this.#waiters]) waiter.resolve(undefined);
    this.#waiters.clear();
  }

  /** The ISO time, formatted once per millisecond however many messages share it. */
  #time(): string {
    const ms = Date.now();
    if (ms !== this.#isoMs) {
      this.#isoMs = ms;
      this.#iso = new Date(ms).toISOString();
    }
    return this.#iso;
  }

  #dropOldest(): void {
    this.#bytes -= this.#weights[this.#head] as number;
    this.#head++;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#weights = this.#weights.slice(this.#head);
      this.#head = 0;
    }
  }
}
