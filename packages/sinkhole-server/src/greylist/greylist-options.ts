export type GreylistKey = 'ip' | 'triplet';

export interface GreylistOptions {
  /** How long after the first attempt an entry lives; retries inside it pass. */
  readonly windowMs: number;
  /** How long after the first attempt a retry must come to pass. */
  readonly minDelayMs: number;
  /** 421 closes the connection (the plan's choice); 451 keeps it open. */
  readonly code: 421 | 451;
  readonly key: GreylistKey;
  /** Table bound; the oldest entries go first. */
  readonly maxEntries: number;
}

export const DEFAULT_GREYLIST: GreylistOptions = Object.freeze({
  windowMs: 30 * 60_000,
  minDelayMs: 0,
  code: 421,
  key: 'ip',
  maxEntries: 100_000,
});

/** Why a set of greylist options cannot work, or undefined. */
export function greylistProblem(options: GreylistOptions): string | undefined {
  if (!Number.isFinite(options.windowMs) || options.windowMs <= 0) return 'the greylist window must be longer than 0';
  if (!Number.isFinite(options.minDelayMs) || options.minDelayMs < 0) return 'the greylist minimum delay must not be negative';
  if (options.minDelayMs >= options.windowMs) {
    return `the greylist minimum delay (${options.minDelayMs} ms) must be shorter than the window (${options.windowMs} ms), or no retry could ever pass`;
  }
  if (options.code !== 421 && options.code !== 451) return 'the greylist code must be 421 or 451';
  if (options.key !== 'ip' && options.key !== 'triplet') return 'the greylist key must be ip or triplet';
  if (!Number.isSafeInteger(options.maxEntries) || options.maxEntries < 1) return 'the greylist table needs room for at least 1 entry';
  return undefined;
}
