import type { AcceptedMessage } from '../log/sinkhole-events.js';

/** One accepted message as the sinkhole saw it, numbered and timed by the ring. */
export interface AcceptedTransaction extends AcceptedMessage {
  /** 1, 2, 3, ... in order of acceptance: a cursor for `since`. */
  readonly seq: number;
  /** When the end-of-data reply was decided, ISO 8601. */
  readonly time: string;
}

/** A transaction before the ring numbers and times it. */
export type NewTransaction = Omit<AcceptedTransaction, 'seq' | 'time'>;

/** Which transactions a reader wants. */
export interface TransactionFilter {
  /** Only those with this recipient (compared case-insensitively). */
  readonly rcpt?: string | undefined;
  /** Only those after this cursor (seq). */
  readonly afterSeq?: number | undefined;
  /** Only those at or after this time (ms since the epoch). */
  readonly sinceTime?: number | undefined;
}

export function matches(t: AcceptedTransaction, filter: TransactionFilter): boolean {
  if (filter.afterSeq !== undefined && t.seq <= filter.afterSeq) return false;
  if (filter.sinceTime !== undefined && Date.parse(t.time) < filter.sinceTime) return false;
  if (filter.rcpt !== undefined) {
    const wanted = filter.rcpt.toLowerCase();
    let found = false;
    for (const r of t.rcptTo) if (r.toLowerCase() === wanted) found = true;
    if (!found) return false;
  }
  return true;
}
