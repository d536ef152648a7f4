import type { ModeProvider } from '../../src/index.js';
import { formatTestMode, type TestMode } from './test-modes.js';

interface PendingLookup {
  readonly signal: AbortSignal | undefined;
  resolve(text: string): void;
  reject(error: unknown): void;
}

/** A provider whose lookups stay pending until the test settles them. */
export interface ControlledProvider extends ModeProvider {
  /** Lookups started so far. */
  readonly calls: number;
  /** Lookups started and not yet settled by the test, oldest first. */
  readonly pending: readonly PendingLookup[];
  /** Settles the oldest pending lookup with a mode's text. */
  succeed(mode: TestMode): void;
  /** Settles the oldest pending lookup with a raw text. */
  succeedText(text: string): void;
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
      return new Promise<string>((resolve, reject) => {
        pending.push({ signal, resolve, reject });
      });
    },
    get calls() {
      return calls;
    },
    get pending() {
      return pending;
    },
    succeed: (mode) => take().resolve(formatTestMode(mode)),
    succeedText: (text) => take().resolve(text),
    fail: (error) => take().reject(error),
  };
}

/** Lets promise callbacks already queued run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
}
