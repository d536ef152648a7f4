import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CachedModeProvider,
  ssmModeProvider,
  type ModeProviderEvent,
  type SsmModeProvider,
} from '../src/index.js';
import { createManualClock, standInClientConfig, startSsmStandIn, type SsmStandIn } from '@sinkhole/test-kit';
import { TEST_DEFAULT as DEFAULT_MODE, TEST_MODES, type TestMode } from './helpers/test-modes.js';

let standIn: SsmStandIn;
let source: SsmModeProvider;

beforeAll(async () => {
  standIn = await startSsmStandIn();
  source = ssmModeProvider({ clientConfig: standInClientConfig(standIn.endpoint) });
});
beforeEach(() => {
  standIn.setFault(null);
  standIn.setValue('accept');
});
afterAll(async () => {
  source.destroy();
  await standIn.close();
});

function setup() {
  const clock = createManualClock();
  const events: ModeProviderEvent<TestMode>[] = [];
  const cache = new CachedModeProvider(source, TEST_MODES, { clock, scheduler: clock, onEvent: (event) => events.push(event) });
  return { cache, clock, events };
}

describe('CachedModeProvider over SSM, counted at the stand-in', () => {
  it('1,000 concurrent connections per TTL cause at most one GetParameter per TTL', async () => {
    const { cache, clock } = setup();
    const start = standIn.requestCount;
    for (let ttl = 0; ttl < 5; ttl += 1) {
      const modes = await Promise.all(Array.from({ length: 1_000 }, () => cache.current()));
      expect(modes.every((mode) => mode.kind === 'accept')).toBe(true);
      // Spread another 1,000 over the rest of the TTL.
      for (let i = 0; i < 1_000; i += 1) {
        clock.advance(29);
        expect(cache.current()).toEqual({ kind: 'accept' });
      }
      expect(standIn.requestCount - start).toBe(ttl + 1);
      clock.advance(30_000 - 29 * 1_000);
    }
  });

  it('serves the last good mode while SSM fails, and reports the streak once', async () => {
    const { cache, clock, events } = setup();
    await expect(cache.current()).resolves.toEqual({ kind: 'accept' });
    for (const fault of ['500', 'throttle', 'garbage', 'not-found'] as const) {
      standIn.setFault(fault);
      clock.advance(30_000);
      await expect(cache.current()).resolves.toEqual({ kind: 'accept' });
    }
    standIn.setFault(null);
    standIn.setValue('reply:accept-all');
    clock.advance(30_000);
    await expect(cache.current()).resolves.toEqual({ kind: 'accept' });
    expect(cache.failures).toBe(5);
    expect(events.map((event) => event.type)).toEqual(['mode-changed', 'provider-error']);
    expect(events[1]).toMatchObject({ code: 'ERR_MODE_SOURCE_UNAVAILABLE', usingStale: true, usingMode: { kind: 'accept' } });
    standIn.setValue('bounce');
    clock.advance(30_000);
    await expect(cache.current()).resolves.toEqual({ kind: 'bounce' });
    expect(events.slice(2).map((event) => event.type)).toEqual(['provider-recovered', 'mode-changed']);
  });

  it('serves defer when SSM has never given a good value, and asks again only after the retry wait', async () => {
    const { cache, clock } = setup();
    standIn.setFault('500');
    await expect(cache.current()).resolves.toBe(DEFAULT_MODE);
    standIn.setFault(null);
    // Within the 2 s retry wait nothing is asked: defer, synchronously.
    clock.advance(1_999);
    const before = standIn.requestCount;
    expect(cache.current()).toBe(DEFAULT_MODE);
    expect(standIn.requestCount).toBe(before);
    clock.advance(1);
    await expect(cache.current()).resolves.toEqual({ kind: 'accept' });
  });
});
