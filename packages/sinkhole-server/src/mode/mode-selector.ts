import { CachedModeProvider, type Clock, type ModeProvider, type ModeProviderEvent } from '@sinkhole/mode-providers';
import { formatMode, isMode, sameMode } from './format-mode.js';
import type { Mode } from './mode.js';
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

  constructor(options: ModeSelectorOptions) {
    this.#onEvent = options.onEvent;
    if (options.modeProvider !== undefined && options.mode !== undefined) {
      throw new TypeError('give either mode or modeProvider, not both');
    }
    this.#provider = options.modeProvider;
    if (options.modeProvider === undefined) {
      this.#fixed = toMode(options.mode ?? 'defer');
      this.#source = options.modeSourceName ?? 'fixed';
      this.#cache = undefined;
    } else {
      this.#source = options.modeProvider.name;
      this.#cache = new CachedModeProvider(options.modeProvider, SINKHOLE_MODES, {
        ...(options.cacheTtlMs === undefined ? {} : { ttlMs: options.cacheTtlMs }),
        ...(options.clock === undefined ? {} : { clock: options.clock }),
        onEvent: (event) => {
          if (this.#fixed === undefined) this.#onEvent(event);
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
    if (previous === undefined || !sameMode(previous, next)) {
      this.#onEvent({ type: 'mode-changed', from: previous, to: next, source: 'setMode' });
    }
    return next;
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
