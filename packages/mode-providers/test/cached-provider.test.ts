import { describe, expect, it } from 'vitest';
import {
  CachedModeProvider,
  DEFAULT_LOOKUP_TIMEOUT_MS,
  DEFAULT_TTL_MS,
  ModeSourceError,
  staticModeProvider,
  type CachedModeProviderOptions,
  type ModeProvider,
  type ModeProviderEvent,
} from '../src/index.js';
import { createManualClock, type ManualClock } from '@sinkhole/test-kit';
import { controlledProvider, flush, type ControlledProvider } from './helpers/controlled-provider.js';
import { TEST_DEFAULT as DEFAULT_MODE, TEST_MODES, type TestMode as Mode } from './helpers/test-modes.js';

const ACCEPT: Mode = { kind: 'accept' };
const BOUNCE: Mode = { kind: 'bounce' };
const FULL: Mode = { kind: 'reply', code: 452, enhanced: '4.2.2', text: 'Mailbox full' };

function setup(options: CachedModeProviderOptions<Mode> = {}, source: ControlledProvider = controlledProvider()) {
  const clock = createManualClock();
  const events: ModeProviderEvent<Mode>[] = [];
  const cache = new CachedModeProvider(source, TEST_MODES, {
    clock,
    scheduler: clock,
    onEvent: (event) => events.push(event),
    ...options,
  });
  return { cache, clock, events, source };
}

function unavailable(message = 'boom'): ModeSourceError {
  return new ModeSourceError('ERR_MODE_SOURCE_UNAVAILABLE', message, 'controlled');
}

/** Loads mode into a fresh cache and returns it, settled, at time 0. */
async function loaded(mode: Mode, options: CachedModeProviderOptions<Mode> = {}) {
  const parts = setup(options);
  const first = parts.cache.current();
  parts.source.succeed(mode);
  await expect(first).resolves.toEqual(mode);
  parts.events.length = 0;
  return parts;
}

describe('CachedModeProvider: fresh and stale', () => {
  it('serves a fresh mode synchronously, the same object every time, with no lookup', async () => {
    const { cache, clock, source } = await loaded(ACCEPT);
    clock.advance(DEFAULT_TTL_MS - 1);
    const a = cache.current();
    const b = cache.current();
    expect(a).not.toBeInstanceOf(Promise);
    expect(a).toBe(b);
    expect(a).toEqual(ACCEPT);
    expect(source.calls).toBe(1);
  });

  it('1,000 callers arriving together on a cold cache cause one lookup', async () => {
    const { cache, source } = setup();
    const results = Array.from({ length: 1_000 }, () => cache.current());
    expect(source.calls).toBe(1);
    source.succeed(BOUNCE);
    const modes = await Promise.all(results);
    expect(new Set(modes.map((mode) => mode.kind))).toEqual(new Set(['bounce']));
    expect(source.calls).toBe(1);
  });

  it('looks up at most once per TTL however many callers arrive, and they all share one promise', async () => {
    const { cache, clock, source } = await loaded(ACCEPT);
    for (let second = 1; second <= 5 * 60; second += 1) {
      clock.advance(1_000);
      const seen = new Set<unknown>();
      for (let i = 0; i < 1_000; i += 1) seen.add(cache.current());
      expect(seen.size).toBe(1);
      if (source.pending.length > 0) source.succeed(ACCEPT);
      await flush();
    }
    // 300 s at a 30 s TTL: the first load plus one lookup per expiry.
    expect(source.calls).toBe(1 + (5 * 60 * 1_000) / DEFAULT_TTL_MS);
  });

  it('once stale, callers wait for the single refresh, so the first one past the TTL sees a change', async () => {
    const { cache, clock, source, events } = await loaded(ACCEPT);
    clock.advance(DEFAULT_TTL_MS);
    const waiting = [cache.current(), cache.current()];
    expect(waiting[0]).toBeInstanceOf(Promise);
    expect(waiting[0]).toBe(waiting[1]);
    source.succeed(BOUNCE);
    await expect(Promise.all(waiting)).resolves.toEqual([BOUNCE, BOUNCE]);
    expect(cache.current()).toEqual(BOUNCE);
    expect(events).toEqual([{ type: 'mode-changed', from: ACCEPT, to: BOUNCE, source: 'controlled' }]);
  });

  it('with staleWhileRevalidate, serves the stale mode at once and refreshes behind it', async () => {
    const { cache, clock, source } = await loaded(ACCEPT, { staleWhileRevalidate: true });
    clock.advance(DEFAULT_TTL_MS);
    expect(cache.current()).toEqual(ACCEPT);
    expect(cache.current()).toEqual(ACCEPT);
    expect(source.calls).toBe(2);
    source.succeed(BOUNCE);
    await flush();
    expect(cache.current()).toEqual(BOUNCE);
  });

  it('with staleWhileRevalidate, still waits (bounded) when nothing was ever loaded', async () => {
    const { cache, source } = setup({ staleWhileRevalidate: true });
    const first = cache.current();
    expect(first).toBeInstanceOf(Promise);
    source.succeed(FULL);
    await expect(first).resolves.toEqual(FULL);
  });

  it('uses ttlMs when given, else the source recommendation, else 30 s', async () => {
    expect(setup({ ttlMs: 5 }).cache.ttlMs).toBe(5);
    expect(setup({}, controlledProvider({ recommendedTtlMs: 1_000 })).cache.ttlMs).toBe(1_000);
    expect(setup().cache.ttlMs).toBe(30_000);
    const { cache, clock, source } = await loaded(ACCEPT, { ttlMs: 1_000 });
    clock.advance(999);
    expect(cache.current()).toEqual(ACCEPT);
    clock.advance(1);
    expect(cache.current()).toBeInstanceOf(Promise);
    expect(source.calls).toBe(2);
  });

  it('refresh() looks up at once, ignoring the TTL, and joins a lookup in flight', async () => {
    const { cache, source } = await loaded(ACCEPT);
    const a = cache.refresh();
    const b = cache.refresh();
    expect(a).toBe(b);
    expect(source.calls).toBe(2);
    source.succeed(FULL);
    await expect(a).resolves.toEqual(FULL);
    expect(cache.lastGood).toEqual(FULL);
  });

  it('reports mode-changed for the first load and for real changes only', async () => {
    const { cache, clock, source, events } = setup({ ttlMs: 10 });
    for (const mode of [ACCEPT, { kind: 'accept' } as const, BOUNCE]) {
      const pending = cache.current();
      source.succeed(mode);
      await pending;
      clock.advance(10);
    }
    expect(events).toEqual([
      { type: 'mode-changed', from: undefined, to: ACCEPT, source: 'controlled' },
      { type: 'mode-changed', from: ACCEPT, to: BOUNCE, source: 'controlled' },
    ]);
  });
});

describe('CachedModeProvider: failures', () => {
  it('asks the interpreter what a text means: an invalid or empty text is a failure that keeps the last good mode', async () => {
    const { cache, clock, source, events } = await loaded(ACCEPT, { retryBaseMs: 0 });
    clock.advance(DEFAULT_TTL_MS);
    const invalid = cache.current();
    source.succeedText('acept');
    await expect(invalid).resolves.toEqual(ACCEPT);
    expect(cache.lastError).toMatchObject({
      code: 'ERR_MODE_SOURCE_INVALID',
      message: 'controlled: unknown mode "acept"',
      parseError: { code: 'ERR_TEST_MODE_UNKNOWN' },
    });
    const empty = cache.current();
    source.succeedText(' \n');
    await expect(empty).resolves.toEqual(ACCEPT);
    expect(cache.lastError?.code).toBe('ERR_MODE_SOURCE_EMPTY');
    expect(events.map((e) => e.type)).toEqual(['provider-error']);
    const good = cache.current();
    source.succeedText('  Bounce\n');
    await expect(good).resolves.toEqual(BOUNCE);
  });


  it('serves defer when there has never been a good value', async () => {
    const { cache, source, events } = setup();
    const first = cache.current();
    source.fail(unavailable());
    await expect(first).resolves.toEqual(DEFAULT_MODE);
    expect(cache.current()).toBe(DEFAULT_MODE);
    expect(cache.lastGood).toBeUndefined();
    expect(cache.lastError?.code).toBe('ERR_MODE_SOURCE_UNAVAILABLE');
    expect(events).toEqual([
      {
        type: 'provider-error',
        source: 'controlled',
        code: 'ERR_MODE_SOURCE_UNAVAILABLE',
        message: 'controlled: boom',
        usingMode: DEFAULT_MODE,
        usingStale: false,
      },
    ]);
  });

  it(`serves defer after DEFAULT_LOOKUP_TIMEOUT_MS (${DEFAULT_LOOKUP_TIMEOUT_MS}) when the first lookup hangs, and aborts it`, async () => {
    const { cache, clock, source, events } = setup();
    const first = cache.current();
    clock.advance(DEFAULT_LOOKUP_TIMEOUT_MS - 1);
    let served: Mode | undefined;
    void Promise.resolve(first).then((mode) => (served = mode));
    await flush();
    expect(served).toBeUndefined();
    clock.advance(1);
    await expect(first).resolves.toEqual(DEFAULT_MODE);
    expect(source.pending[0]?.signal?.aborted).toBe(true);
    expect(events[0]).toMatchObject({ type: 'provider-error', code: 'ERR_MODE_SOURCE_TIMEOUT' });
    // A late answer from the abandoned lookup is ignored.
    source.succeed(ACCEPT);
    await flush();
    expect(cache.lastGood).toBeUndefined();
    expect(cache.current()).toBe(DEFAULT_MODE);
  });

  it('keeps serving the last good mode when a refresh fails, and says so once per streak', async () => {
    const { cache, clock, source, events } = await loaded(ACCEPT, { retryBaseMs: 1_000 });
    clock.advance(DEFAULT_TTL_MS);
    const stale = cache.current();
    source.fail(unavailable('first'));
    await expect(stale).resolves.toEqual(ACCEPT);
    for (let i = 0; i < 20; i += 1) {
      clock.advance(DEFAULT_TTL_MS);
      const next = cache.current();
      source.fail(new ModeSourceError('ERR_MODE_SOURCE_INVALID', 'acept', 'controlled'));
      await expect(next).resolves.toEqual(ACCEPT);
    }
    expect(cache.failures).toBe(21);
    expect(events).toEqual([
      {
        type: 'provider-error',
        source: 'controlled',
        code: 'ERR_MODE_SOURCE_UNAVAILABLE',
        message: 'controlled: first',
        usingMode: ACCEPT,
        usingStale: true,
      },
    ]);
    clock.advance(DEFAULT_TTL_MS);
    const recovered = cache.current();
    source.succeed(ACCEPT);
    await expect(recovered).resolves.toEqual(ACCEPT);
    expect(events.slice(1)).toEqual([{ type: 'provider-recovered', source: 'controlled', failures: 21, mode: ACCEPT }]);
    expect(cache.failures).toBe(0);
    expect(cache.lastError).toBeUndefined();
    // A new streak is reported again.
    clock.advance(DEFAULT_TTL_MS);
    const again = cache.current();
    source.fail(unavailable('second'));
    await again;
    expect(events.slice(2)).toMatchObject([{ type: 'provider-error', message: 'controlled: second' }]);
  });

  it('waits 2 s after a failure, doubling up to the TTL, serving synchronously meanwhile', async () => {
    const { cache, clock, source } = await loaded(ACCEPT);
    clock.advance(DEFAULT_TTL_MS);
    const waits: number[] = [];
    let lastAttempt = clock.now();
    for (let attempt = 0; attempt < 7; attempt += 1) {
      const pending = cache.current();
      expect(pending).toBeInstanceOf(Promise);
      source.fail(unavailable());
      await pending;
      lastAttempt = clock.now();
      // Step 100 ms at a time, 50 callers per step, until a lookup starts.
      for (;;) {
        clock.advance(100);
        for (let i = 0; i < 50; i += 1) {
          const mode = cache.current();
          if (mode instanceof Promise) break;
          expect(mode).toEqual(ACCEPT);
        }
        if (source.pending.length > 0) break;
      }
      waits.push(clock.now() - lastAttempt);
    }
    expect(waits).toEqual([2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('a broken source sees a bounded request rate under a flood of connections', async () => {
    const { cache, clock, source } = setup();
    // 10 minutes, 1,000 connections a second; every lookup fails.
    for (let ms = 0; ms < 10 * 60_000; ms += 100) {
      for (let i = 0; i < 100; i += 1) void cache.current();
      while (source.pending.length > 0) source.fail(unavailable());
      await flush();
      clock.advance(100);
    }
    // Lookups at 0, 2, 6, 14 and 30 s (waits of 2, 4, 8, 16 s), then one per 30 s TTL: 60, 90 ... 570 s.
    expect(source.calls).toBe(5 + 18);
  });

  it('never has two live lookups: one that hangs is aborted at the bound before the next starts', async () => {
    const { cache, clock, source } = setup({ lookupTimeoutMs: 2_000 });
    // Lookups never settle; callers arrive every 100 ms for 10 minutes.
    for (let ms = 0; ms < 10 * 60_000; ms += 100) {
      void cache.current();
      const live = source.pending.filter((lookup) => lookup.signal?.aborted !== true);
      expect(live.length).toBeLessThanOrEqual(1);
      clock.advance(100);
    }
    expect(source.pending.every((lookup, index) => index === source.pending.length - 1 || lookup.signal?.aborted)).toBe(
      true,
    );
    // Each attempt takes the 2 s bound, then waits 2, 4, 8, 16, 30, 30... s.
    expect(source.calls).toBeLessThanOrEqual(5 + Math.ceil((10 * 60_000 - 30_000) / 32_000));
  });

  it('treats a provider that throws synchronously, or resolves with something other than text, as a failure', async () => {
    const throwing: ModeProvider = {
      name: 'throwing',
      lookup: () => {
        throw new TypeError('not async');
      },
    };
    const events: ModeProviderEvent<Mode>[] = [];
    const cache = new CachedModeProvider(throwing, TEST_MODES, { onEvent: (event) => events.push(event) });
    await expect(cache.current()).resolves.toEqual(DEFAULT_MODE);
    expect(events[0]).toMatchObject({ code: 'ERR_MODE_SOURCE_FAILED', message: 'throwing: not async' });

    const liar: ModeProvider = { name: 'liar', lookup: async () => ({ kind: 'accept' }) as unknown as string };
    const second = new CachedModeProvider(liar, TEST_MODES);
    await expect(second.current()).resolves.toEqual(DEFAULT_MODE);
    expect(second.lastError?.code).toBe('ERR_MODE_SOURCE_INVALID');
  });

  it('an onEvent that throws does not break lookups', async () => {
    const cache = new CachedModeProvider(staticModeProvider('accept'), TEST_MODES, {
      onEvent: () => {
        throw new Error('logger down');
      },
    });
    await expect(cache.current()).resolves.toEqual(ACCEPT);
    expect(cache.current()).toEqual(ACCEPT);
  });

  it('refuses nonsensical options at construction', () => {
    const source = staticModeProvider('accept');
    expect(() => new CachedModeProvider(source, TEST_MODES, { ttlMs: -1 })).toThrow(RangeError);
    expect(() => new CachedModeProvider(source, TEST_MODES, { ttlMs: Number.NaN })).toThrow(/ttlMs/);
    expect(() => new CachedModeProvider(source, TEST_MODES, { lookupTimeoutMs: 0 })).toThrow(/lookupTimeoutMs/);
    expect(() => new CachedModeProvider(source, TEST_MODES, { retryBaseMs: Infinity })).toThrow(/retryBaseMs/);
  });
});

describe('CachedModeProvider: the manual clock itself', () => {
  it('runs due callbacks in time order and none early', () => {
    const clock: ManualClock = createManualClock(100);
    const ran: string[] = [];
    clock.schedule(20, () => ran.push(`b@${clock.now()}`));
    clock.schedule(10, () => ran.push(`a@${clock.now()}`));
    const cancel = clock.schedule(15, () => ran.push('cancelled'));
    cancel();
    clock.advance(19);
    expect(ran).toEqual(['a@110']);
    clock.advance(1);
    expect(ran).toEqual(['a@110', 'b@120']);
    expect(clock.pendingTimers).toBe(0);
  });
});
