import type { Mode } from '../mode/mode.js';
import type { MetricRegistry } from '../metrics/metric-registry.js';
import type { ModeStatus } from '../mode/mode-selector.js';
import type { TransactionRing } from '../transactions/transaction-ring.js';

/** One key of the attempt ledger, as the ledger gives it (serialised as it is). */
export interface LedgerEntryView {
  readonly key: string;
}

/** What /attempts reads and clears: the attempt ledger's reader surface. */
export interface AttemptLedgerView {
  readonly size: number;
  entries(): readonly LedgerEntryView[];
  get(key: string): LedgerEntryView | undefined;
  clear(): void;
}

/** Everything the routes read or change. */
export interface HttpContext {
  readonly registry: MetricRegistry;
  readonly modes: {
    status(): ModeStatus;
    /** True when PUT /mode is the source of truth (--mode-source api). */
    readonly settable: boolean;
    /** Parses the text (RangeError with the parser's message) and makes it the mode of the next connection. */
    put(text: string): Promise<Mode>;
    describe(mode: Mode): string;
  };
  readonly ledger: AttemptLedgerView | undefined;
  /** Clears the ledger and the greylist table. */
  readonly clearAttempts: () => void;
  readonly transactions: TransactionRing;
  /** False once the SMTP listener is closing. */
  readonly accepting: () => boolean;
}
