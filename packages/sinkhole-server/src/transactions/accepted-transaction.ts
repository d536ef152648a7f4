import type { LoggedDsn } from '../log/dsn-field.js';

/** One accepted message as the sinkhole saw it: the envelope and sizes, never a body byte. */
export interface AcceptedTransaction {
  /** 1, 2, 3, ... in order of acceptance: a cursor for `since`. */
  readonly seq: number;
  /** The connection's id, as in the log lines. */
  readonly id: string;
  /** When the end-of-data reply was decided, ISO 8601. */
  readonly time: string;
  readonly client: string;
  /** The mode's text, as logged. */
  readonly mode: string;
  readonly helo: string | null;
  /** '' for the null reverse-path <>. */
  readonly mailFrom: string;
  readonly rcptTo: readonly string[];
  /** Body octets after dot-unstuffing. */
  readonly size: number;
  /** 'bdat' with the chunk count when the body came in BDAT chunks (RFC 3030); absent for DATA. */
  readonly body?: 'bdat';
  readonly chunks?: number;
  /** The DSN requests of the transaction (RFC 3461), when the client made any. */
  readonly dsn?: LoggedDsn;
  /** accept-log only: the header block as received, up to the header cap (null when there was none). */
  readonly headers?: string | null;
  readonly headersTruncated?: boolean;
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
