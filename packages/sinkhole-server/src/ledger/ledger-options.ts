/** Bounds of the attempt ledger. Each is a flag and a SINKHOLE_* variable of the CLI. */
export interface LedgerOptions {
  /** Keys remembered at once; past it the key attempted least recently goes first. */
  readonly maxEntries: number;
  /** A key not attempted for this long is forgotten (and its scripts start again at attempt 1). */
  readonly maxAgeMs: number;
  /** Attempts kept per key, newest last; the count goes on past it, the oldest details go. */
  readonly maxHistory: number;
}

export const DEFAULT_LEDGER: LedgerOptions = Object.freeze({
  maxEntries: 10_000,
  maxAgeMs: 24 * 60 * 60_000,
  maxHistory: 20,
});

/** Why a set of ledger options cannot work, or undefined. */
export function ledgerProblem(options: LedgerOptions): string | undefined {
  if (!Number.isSafeInteger(options.maxEntries) || options.maxEntries < 1) return 'the attempt ledger needs room for at least 1 entry';
  if (!Number.isFinite(options.maxAgeMs) || options.maxAgeMs <= 0) return 'the attempt ledger maximum age must be longer than 0';
  if (!Number.isSafeInteger(options.maxHistory) || options.maxHistory < 1) return 'the attempt ledger must keep at least 1 attempt per key';
  return undefined;
}
