import { SYSTEM_CLOCK, SYSTEM_SCHEDULER, type Clock, type Scheduler } from './clock.js';
import type { ModeProviderEvent } from './events.js';
import type { ModeInterpreter } from './mode-interpreter.js';
import type { ModeProvider } from './mode-provider.js';
import { ModeSourceError, toModeSourceError } from './mode-source-error.js';

/** How long a good mode is served before the source is asked again (the plan's 30 s). */
export const DEFAULT_TTL_MS = 30_000;
/** Longest a connection waits for a lookup; after it, the last good mode (or defer) is served. */
export const DEFAULT_LOOKUP_TIMEOUT_MS = 2_000;
/** First wait after a failed lookup; it doubles per failure, up to retryMaxMs (default: the TTL). */
export const DEFAULT_RETRY_BASE_MS = 2_000;

export interface CachedModeProviderOptions<Mode> {
  /** Default: the source's recommendedTtlMs, else DEFAULT_TTL_MS. */
  readonly ttlMs?: number;
  readonly clock?: Clock;
  /** Runs the lookup timeout; tests pass a manual one so nothing waits for real time. */
  readonly scheduler?: Scheduler;
  readonly onEvent?: (event: ModeProviderEvent<Mode>) => void;
  /** Called after every lookup, with its error when it failed (for counters; events report streaks only). */
  readonly onLookup?: (error: ModeSourceError | undefined) => void;
  readonly lookupTimeoutMs?: number;
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  /**
   * When true, a stale mode is returned at once while it is refreshed in the
   * background, so no connection ever waits once a mode is loaded, but the
   * first connection after the TTL still gets the old mode. Default false.
   */
  readonly staleWhileRevalidate?: boolean;
}

/**
 * A mode source behind a TTL cache, built for one call per new connection. The source
 * fetches text; the interpreter says what it means, so an empty, unreadable or invalid
 * text is a failure like any other (the last good mode stays).
 *
 * current():
 * - fresh (younger than the TTL): the cached Mode, synchronously;
 * - stale, or never loaded: one lookup for all callers (single-flight), which
 *   they await, bounded by lookupTimeoutMs; so after an operator's change the
 *   first connection past one TTL obeys it;
 * - after a failure: the last good mode (or defer, when there has never been
 *   one), synchronously, until the retry wait is over: 2 s, doubling, at most
 *   the TTL. A broken source thus sees at most one request per wait, and at
 *   most one at a time, however many connections arrive.
 * It never rejects and never throws.
 */
export class CachedModeProvider<Mode> {
  readonly #source: ModeProvider;
  readonly #interpreter: ModeInterpreter<Mode>;
  readonly #ttlMs: number;
  readonly #clock: Clock;
  readonly #scheduler: Scheduler;
  readonly #onEvent: ((event: ModeProviderEvent<Mode>) => void) | undefined;
  readonly #onLookup: ((error: ModeSourceError | undefined) => void) | undefined;
  readonly #lookupTimeoutMs: number;
  readonly #retryBaseMs: number;
  readonly #retryMaxMs: number;
  readonly #staleWhileRevalidate: boolean;
  #lastGood: Mode | undefined;
  #lastGoodText: string | undefined;
  #lastError: ModeSourceError | undefined;
  #failures = 0;
  #expiresAt = Number.NEGATIVE_INFINITY;
  #nextAttemptAt = Number.NEGATIVE_INFINITY;
  #inFlight: Promise<Mode> | undefined;

  constructor(source: ModeProvider, interpreter: ModeInterpreter<Mode>, options: CachedModeProviderOptions<Mode> = {}) {
    this.#source = source;
    this.#interpreter = interpreter;
    this.#ttlMs = checkDuration('ttlMs', options.ttlMs ?? source.recommendedTtlMs ?? DEFAULT_TTL_MS, 0);
    this.#clock = options.clock ?? SYSTEM_CLOCK;
    this.#scheduler = options.scheduler ?? SYSTEM_SCHEDULER;
    this.#onEvent = options.onEvent;
    this.#onLookup = options.onLookup;
    this.#lookupTimeoutMs = checkDuration('lookupTimeoutMs', options.lookupTimeoutMs ?? DEFAULT_LOOKUP_TIMEOUT_MS, 1);
    this.#retryBaseMs = checkDuration('retryBaseMs', options.retryBaseMs ?? DEFAULT_RETRY_BASE_MS, 0);
    this.#retryMaxMs = checkDuration('retryMaxMs', options.retryMaxMs ?? this.#ttlMs, 0);
    this.#staleWhileRevalidate = options.staleWhileRevalidate ?? false;
  }

  /** The source's name, e.g. "ssm:/cabal/sinkhole_mode". */
  get source(): string {
    return this.#source.name;
  }

  get ttlMs(): number {
    return this.#ttlMs;
  }

  /** The last mode a lookup gave, or undefined if none ever succeeded. */
  get lastGood(): Mode | undefined {
    return this.#lastGood;
  }

  /** The error of the current failure streak, or undefined when the last lookup succeeded. */
  get lastError(): ModeSourceError | undefined {
    return this.#lastError;
  }

  /** Lookups failed in a row since the last success. */
  get failures(): number {
    return this.#failures;
  }

  /** The mode for a new connection. The hot path: no allocation while the mode is fresh. */
  current(): Mode | Promise<Mode> {
    const lastGood = this.#lastGood;
    const now = this.#clock.now();
    if (lastGood !== undefined && now < this.#expiresAt) return lastGood;
    if (this.#inFlight === undefined && now < this.#nextAttemptAt) return lastGood ?? this.#interpreter.fallback;
    const pending = this.#inFlight ?? this.#attempt();
    return this.#staleWhileRevalidate && lastGood !== undefined ? lastGood : pending;
  }

  /**
   * Looks the mode up now, ignoring the TTL and the retry wait (or joins the
   * lookup in flight). Resolves with what current() serves afterwards; never rejects.
   */
  refresh(): Promise<Mode> {
    return this.#inFlight ?? this.#attempt();
  }

  #attempt(): Promise<Mode> {
    const controller = new AbortController();
    let settled = false;
    let cancelTimeout = (): void => undefined;
    let deliver = (_mode: Mode): void => undefined;
    const served = new Promise<Mode>((resolve) => {
      deliver = resolve;
    });
    const settle = (outcome: Mode | ModeSourceError): void => {
      if (settled) return;
      settled = true;
      cancelTimeout();
      this.#inFlight = undefined;
      const error = outcome instanceof ModeSourceError ? outcome : undefined;
      if (error !== undefined) this.#fail(error);
      else this.#succeed(outcome as Mode);
      this.#reportLookup(error);
      deliver(this.#serving());
    };
    this.#inFlight = served;
    cancelTimeout = this.#scheduler.schedule(this.#lookupTimeoutMs, () => {
      const error = new ModeSourceError(
        'ERR_MODE_SOURCE_TIMEOUT',
        `no mode within ${this.#lookupTimeoutMs} ms`,
        this.#source.name,
      );
      controller.abort(error);
      settle(error);
    });
    this.#lookup(controller.signal).then(
      (text) => settle(this.#read(text)),
      (error: unknown) => settle(toModeSourceError(error, this.#source.name)),
    );
    return served;
  }

  #lookup(signal: AbortSignal): Promise<string> {
    try {
      return this.#source.lookup(signal);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** What the fetched value means: a mode, or the error that says why it is not one. */
  #read(text: unknown): Mode | ModeSourceError {
    const source = this.#source.name;
    if (typeof text !== 'string') return new ModeSourceError('ERR_MODE_SOURCE_INVALID', 'resolved with a value that is not text', source);
    if (text.trim().length === 0) return new ModeSourceError('ERR_MODE_SOURCE_EMPTY', 'holds no mode (empty)', source);
    const reading = this.#interpreter.parse(text);
    if (reading.ok) return reading.mode;
    return new ModeSourceError('ERR_MODE_SOURCE_INVALID', reading.error.message, source, { parseError: reading.error });
  }

  #succeed(mode: Mode): void {
    const previous = this.#lastGood;
    const text = this.#interpreter.format(mode);
    const same = previous !== undefined && text === this.#lastGoodText;
    this.#lastGood = same ? previous : mode;
    this.#lastGoodText = text;
    this.#expiresAt = this.#clock.now() + this.#ttlMs;
    this.#nextAttemptAt = Number.NEGATIVE_INFINITY;
    const failures = this.#failures;
    this.#failures = 0;
    this.#lastError = undefined;
    if (failures > 0) this.#emit({ type: 'provider-recovered', source: this.#source.name, failures, mode });
    if (previous !== this.#lastGood) this.#emit({ type: 'mode-changed', from: previous, to: mode, source: this.#source.name });
  }

  #fail(error: ModeSourceError): void {
    this.#failures += 1;
    this.#lastError = error;
    const wait = Math.min(this.#retryMaxMs, this.#retryBaseMs * 2 ** (this.#failures - 1));
    this.#nextAttemptAt = this.#clock.now() + wait;
    if (this.#failures > 1) return;
    this.#emit({
      type: 'provider-error',
      source: this.#source.name,
      code: error.code,
      message: error.message,
      usingMode: this.#serving(),
      usingStale: this.#lastGood !== undefined,
    });
  }

  #serving(): Mode {
    return this.#lastGood ?? this.#interpreter.fallback;
  }

  #reportLookup(error: ModeSourceError | undefined): void {
    try {
      this.#onLookup?.(error);
    } catch {
      // As for #emit: a failing counter must not break the connection path.
    }
  }

  #emit(event: ModeProviderEvent<Mode>): void {
    try {
      this.#onEvent?.(event);
    } catch {
      // A failing logger must not break the connection path.
    }
  }
}

function checkDuration(name: string, value: number, min: number): number {
  if (!Number.isFinite(value) || value < min) {
    throw new RangeError(`CachedModeProvider: ${name} must be a finite number of milliseconds >= ${min}, got ${value}`);
  }
  return value;
}
