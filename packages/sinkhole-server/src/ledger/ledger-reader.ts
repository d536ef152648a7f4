import type { LedgerEntry } from './attempt-ledger.js';

/** The attempt ledger as readers see it (the library, the HTTP surface). */
export interface AttemptLedgerReader {
  /** Keys held now (aged-out ones are dropped first). */
  readonly size: number;
  /** Entries dropped because the ledger was full. */
  readonly evicted: number;
  /** Every entry, the one attempted least recently first; snapshots. */
  entries(): LedgerEntry[];
  /** One key's entry, e.g. get('recipient:qp-7+421x2.250@sinkhole.test'). */
  get(key: string): LedgerEntry | undefined;
  /** Forgets every entry. */
  clear(): void;
}
