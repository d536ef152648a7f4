import type { Mode, ModeProvider } from '../../src/index.js';

interface PendingLookup {
  readonly signal: AbortSignal | undefined;
  resolve(mode: Mode): void;
  reject(error: unknown): void;
}

/** A provider whose lookups stay pending until the test settles them. */
export interface ControlledProvider extends ModeProvider {
  /** Lookups started so far. */
  readonly calls: number;
  /** Lookups started and not yet settled by the test, oldest first. */
  readonly pending: readonly PendingLookup[];
  /** Settles the oldest pending lookup with a mode. */
  succeed(mode: Mode): void;
  /** Settles the oldest pending lookup with an error. */
  fail(error: unknown): void;
}

export function controlledProvider(options: { recommendedTtlMs?: number } = {}): ControlledProvider {
  const pending: PendingLookup[] = [];
  let calls = 0;
  const take = (): PendingLookup => {
    const next = pending.shift();
    if (next === undefined) throw new Error('no lookup is pending');
    return next;
  };
  return {
    name: 'controlled',
    ...(options.recommendedTtlMs === undefined ? {} : { recommendedTtlMs: options.recommendedTtlMs }),
    lookup: (signal) => {
      calls += 1;
      return new Promise<Mode>((resolve, reject) => {
        pending.push({ signal, resolve, reject });
      });
    },
    get calls() {
      return calls;
    },
    get pending() {
      return pending;
    },
    succeed: (mode) => take().resolve(mode),
    fail: (error) => take().reject(error),
  };
}

/** Lets promise callbacks already queued run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
}
