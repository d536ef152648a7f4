import { CachedModeProvider, type Clock, type ModeProvider, type ModeProviderEvent, type ModeSourceError } from '@sinkhole/mode-providers';
import { formatMode, isMode, sameMode } from './format-mode.js';
import { DEFAULT_MODE, type Mode } from './mode.js';
import { parseMode } from './parse-mode.js';
import { SINKHOLE_MODES } from './sinkhole-modes.js';

export interface ModeSelectorOptions {
  /** A fixed mode; or */
  readonly mode?: Mode | string | undefined;
  /** How a fixed mode's origin is named in logs; default `fixed`. */
  readonly modeSourceName?: string | undefined;
  /** a source read through a TTL cache. */
  readonly modeProvider?: ModeProvider | undefined;
  /** Cache TTL for modeProvider; default the provider's own recommendation, else 30 s. */
  readonly cacheTtlMs?: number | undefined;
  readonly clock?: Clock | undefined;
  readonly onEvent: (event: ModeProviderEvent<Mode>) => void;
  /** After every lookup of the source, with its error when it failed. */
  readonly onLookup?: ((source: string, error: ModeSourceError | undefined) => void) | undefined;
}

/** What GET /mode and /healthz report. */
export interface ModeStatus {
  /** What the next connection gets. */
  readonly mode: Mode;
  readonly source: string;
  /** Date.now() of the last successful read of the source (start-up for a fixed mode). */
  readonly loadedAt: number | undefined;
  /** The error of the current failure streak, if the last read failed. */
  readonly lastError: { readonly code: string; readonly message: string; readonly at: number } | undefined;
  /** True once the source has given a mode (a fixed mode always has). */
  readonly answered: boolean;
  readonly failures: number;
}

/** The longest start-up waits for a source's set-up; past it, lookups do their own. */
export const PREPARE_TIMEOUT_MS = 10_000;

async function prepareWithin(provider: ModeProvider | undefined, timeoutMs: number): Promise<void> {
  if (provider?.prepare === undefined) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
    timer.unref();
  });
  // A failure here is not the mode's failure: the lookup that follows reports it.
  await Promise.race([provider.prepare().catch(() => undefined), timeout]);
  clearTimeout(timer);
}

/** Parses a mode text for the API, or checks a Mode value; throws RangeError with the parser's message. */
export function toMode(mode: Mode | string): Mode {
  if (typeof mode !== 'string') {
    if (!isMode(mode)) throw new RangeError('not a Mode: give a mode text or a value parseMode returns');
    return mode;
  }
  const parsed = parseMode(mode);
  if (!parsed.ok) throw new RangeError(parsed.error.message);
  return parsed.mode;
}

/**
 * The mode for each new connection: a fixed one, or the cached provider's. {@link set}
 * replaces either with a fixed mode from then on.
 */
export class ModeSelector {
  readonly #cache: CachedModeProvider<Mode> | undefined;
  readonly #provider: ModeProvider | undefined;
  readonly #onEvent: (event: ModeProviderEvent<Mode>) => void;
  #fixed: Mode | undefined;
  #source: string;
  #loadedAt: number | undefined;
  #lastError: ModeStatus['lastError'];

  constructor(options: ModeSelectorOptions) {
    this.#onEvent = options.onEvent;
    if (options.modeProvider !== undefined && options.mode !== undefined) {
      throw new TypeError('give either mode or modeProvider, not both');
    }
    this.#provider = options.modeProvider;
    if (options.modeProvider === undefined) {
      this.#fixed = toMode(options.mode ?? 'defer');
      this.#source = options.modeSourceName ?? 'fixed';
      this.#loadedAt = Date.now();
      this.#cache = undefined;
    } else {
      this.#source = options.modeProvider.name;
      this.#cache = new CachedModeProvider(options.modeProvider, SINKHOLE_MODES, {
        ...(options.cacheTtlMs === undefined ? {} : { ttlMs: options.cacheTtlMs }),
        ...(options.clock === undefined ? {} : { clock: options.clock }),
        onEvent: (event) => {
          if (this.#fixed === undefined) this.#onEvent(event);
        },
        onLookup: (error) => {
          if (error === undefined) {
            this.#loadedAt = Date.now();
            this.#lastError = undefined;
          } else {
            this.#lastError = { code: error.code, message: error.message, at: Date.now() };
          }
          options.onLookup?.(options.modeProvider?.name ?? 'provider', error);
        },
      });
    }
  }

  /** Names where the mode comes from, e.g. `ssm:/cabal/sinkhole_mode` or `fixed`. */
  get source(): string {
    return this.#source;
  }

  /** The mode for a new connection: synchronous unless the cache must ask its source. */
  current(): Mode | Promise<Mode> {
    return this.#fixed ?? (this.#cache as CachedModeProvider<Mode>).current();
  }

  /**
   * Reads the source now (start-up); a fixed mode resolves at once. The source's one-time
   * set-up (loading the SSM SDK) comes first, so it is not charged to the first lookup's bound.
   */
  async load(): Promise<Mode> {
    if (this.#fixed !== undefined) return this.#fixed;
    await prepareWithin(this.#provider, PREPARE_TIMEOUT_MS);
    return (this.#cache as CachedModeProvider<Mode>).refresh();
  }

  /** Fixes the mode for every later connection; open sessions keep theirs. */
  set(mode: Mode | string): Mode {
    const next = toMode(mode);
    const previous = this.#fixed ?? this.#cache?.lastGood;
    this.#fixed = next;
    this.#source = 'fixed';
    this.#loadedAt = Date.now();
    this.#lastError = undefined;
    if (previous === undefined || !sameMode(previous, next)) {
      this.#onEvent({ type: 'mode-changed', from: previous, to: next, source: 'setMode' });
    }
    return next;
  }

  /** Reads the source again now, past the TTL; resolves with what the next connection gets. */
  refresh(): Promise<Mode> {
    return this.#fixed !== undefined ? Promise.resolve(this.#fixed) : (this.#cache as CachedModeProvider<Mode>).refresh();
  }

  /** The mode as last known and how it was obtained (no lookup). */
  status(): ModeStatus {
    const cache = this.#fixed === undefined ? this.#cache : undefined;
    return {
      mode: this.#fixed ?? cache?.lastGood ?? DEFAULT_MODE,
      source: this.#source,
      loadedAt: this.#loadedAt,
      lastError: this.#lastError,
      answered: cache === undefined || cache.lastGood !== undefined,
      failures: cache?.failures ?? 0,
    };
  }

  /** The mode text as last known, for logs (no lookup). */
  describe(): string {
    const mode = this.#fixed ?? this.#cache?.lastGood;
    return mode === undefined ? 'defer' : formatMode(mode);
  }

  /** Releases the source's resources (the SSM client's sockets). */
  close(): void {
    const provider = this.#provider as (ModeProvider & { destroy?: () => void }) | undefined;
    provider?.destroy?.();
  }
}
