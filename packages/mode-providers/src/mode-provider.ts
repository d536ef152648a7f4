/**
 * A raw source of the mode text, uncached: every lookup reads the source again.
 * lookup resolves with the text as stored (what it means is the ModeInterpreter's
 * business) or rejects with a ModeSourceError when the source fails.
 */
export interface ModeProvider {
  /** Names the source in logs and events, e.g. "env:SINKHOLE_MODE". */
  readonly name: string;
  /**
   * The cache TTL this source suits, used by CachedModeProvider when no ttlMs
   * is given (30 s when absent).
   */
  readonly recommendedTtlMs?: number;
  /** signal, when given, aborts the lookup (the cache aborts one that overruns its bound). */
  lookup(signal?: AbortSignal): Promise<string>;
  /**
   * One-time set-up that should not count against a lookup's time bound, such as loading the
   * SSM SDK. Callers may await it at start-up; lookups do it themselves when nobody has.
   */
  prepare?(): Promise<void>;
}
