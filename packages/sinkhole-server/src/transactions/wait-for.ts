import type { AcceptedTransaction } from './accepted-transaction.js';
import type { TransactionRing } from './transaction-ring.js';

/** waitFor()'s default timeout. */
export const DEFAULT_WAIT_FOR_TIMEOUT_MS = 10_000;

export interface WaitForOptions {
  /** How long to wait, in ms; default 10 s. */
  readonly timeout?: number;
  /** Stops waiting (rejects with the signal's reason). */
  readonly signal?: AbortSignal;
}

/** The ring's wait as a test suite wants it: the transaction, or a rejection that says what did not happen. */
export async function waitForTransaction(
  ring: TransactionRing,
  predicate: (transaction: AcceptedTransaction) => boolean,
  options: WaitForOptions = {},
): Promise<AcceptedTransaction> {
  const timeout = options.timeout ?? DEFAULT_WAIT_FOR_TIMEOUT_MS;
  if (!Number.isFinite(timeout) || timeout < 0) throw new RangeError(`waitFor: timeout must be a number of milliseconds >= 0, got ${timeout}`);
  options.signal?.throwIfAborted();
  const found = await ring.waitFor(predicate, timeout, options.signal);
  options.signal?.throwIfAborted();
  if (found !== undefined) return found;
  const error = new Error(`waitFor: no accepted transaction matched within ${timeout} ms (${ring.size} kept)`);
  error.name = 'TimeoutError';
  throw error;
}
