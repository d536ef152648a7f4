import { createManualClock } from '@sinkhole/test-kit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tripletKey } from '../../src/greylist/greylist-key.js';
import { greylistProblem, DEFAULT_GREYLIST } from '../../src/greylist/greylist-options.js';
import { GreylistTable } from '../../src/greylist/greylist-table.js';

const MIN = 60_000;

function table(options: Partial<{ windowMs: number; minDelayMs: number; maxEntries: number }> = {}) {
  const clock = createManualClock(1_000_000);
  const t = new GreylistTable({ windowMs: 30 * MIN, minDelayMs: 0, maxEntries: 100, ...options }, clock);
  return { t, clock };
}

describe('GreylistTable', () => {
  it('greylists a first attempt and passes a retry from another connection within the window', () => {
    const { t, clock } = table();
    expect(t.attempt('192.0.2.1', 'conn-1')).toBe(false);
    expect(t.attempt('192.0.2.1', 'conn-2')).toBe(true);
    clock.advance(29 * MIN);
    expect(t.attempt('192.0.2.1', 'conn-3')).toBe(true);
  });

  it('the connection that made the entry does not pass by trying again (451 keeps it open)', () => {
    const { t, clock } = table();
    expect(t.attempt('192.0.2.1', 'conn-1')).toBe(false);
    clock.advance(5 * MIN);
    expect(t.attempt('192.0.2.1', 'conn-1')).toBe(false);
    expect(t.attempt('192.0.2.1', 'conn-2')).toBe(true);
  });

  it('after the window the key is new again, measured from its first attempt', () => {
    const { t, clock } = table();
    t.attempt('192.0.2.1', 'a');
    clock.advance(30 * MIN - 1);
    expect(t.attempt('192.0.2.1', 'b')).toBe(true);
    clock.advance(1);
    expect(t.attempt('192.0.2.1', 'c')).toBe(false);
    expect(t.attempt('192.0.2.1', 'd')).toBe(true);
  });

  it('a retry before the minimum delay is greylisted again without restarting the clock', () => {
    const { t, clock } = table({ minDelayMs: 5 * MIN });
    t.attempt('192.0.2.1', 'a');
    clock.advance(4 * MIN);
    expect(t.attempt('192.0.2.1', 'b')).toBe(false);
    clock.advance(MIN);
    expect(t.attempt('192.0.2.1', 'c')).toBe(true);
  });

  it('keys are independent', () => {
    const { t } = table();
    expect(t.attempt('127.0.0.1', 'a')).toBe(false);
    expect(t.attempt('127.0.0.2', 'b')).toBe(false);
    expect(t.attempt('127.0.0.1', 'c')).toBe(true);
    expect(t.attempt('127.0.0.2', 'd')).toBe(true);
  });

  it('is bounded: past maxEntries the oldest entry is evicted first', () => {
    const { t, clock } = table({ maxEntries: 3 });
    for (const ip of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) {
      t.attempt(ip, 'first');
      clock.advance(1);
    }
    t.attempt('10.0.0.4', 'first');
    expect(t.size).toBe(3);
    expect(t.evicted).toBe(1);
    // 10.0.0.1 was forgotten, so it is a first attempt again; 10.0.0.2 is still remembered.
    expect(t.attempt('10.0.0.2', 'retry')).toBe(true);
    expect(t.attempt('10.0.0.1', 'retry')).toBe(false);
  });

  it('expired entries leave the table as time passes', () => {
    const { t, clock } = table();
    for (let i = 0; i < 50; i++) t.attempt(`10.0.0.${i}`, 'x');
    expect(t.size).toBe(50);
    clock.advance(30 * MIN);
    t.attempt('10.0.1.1', 'x');
    expect(t.size).toBe(1);
    expect(t.evicted).toBe(0);
  });

  it('never holds more than maxEntries, whatever the sequence (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 20 * MIN })), { maxLength: 200 }),
        (maxEntries, steps) => {
          const { t, clock } = table({ maxEntries, minDelayMs: MIN });
          for (const [ip, conn, wait] of steps) {
            clock.advance(wait);
            t.attempt(`10.0.0.${ip}`, `c${conn}`);
            if (t.size > maxEntries) return false;
          }
          return true;
        },
      ),
    );
  });
});

describe('tripletKey', () => {
  it('is short, stable, case-insensitive in the addresses and distinct per part', () => {
    const key = tripletKey('192.0.2.1', 'A@Example.test', 'X@sinkhole.test');
    expect(key).toBe(tripletKey('192.0.2.1', 'a@example.test', 'x@SINKHOLE.TEST'));
    expect(key).toMatch(/^192\.0\.2\.1\/[0-9a-z]{1,11}$/);
    expect(tripletKey('192.0.2.1', `${'a'.repeat(3000)}@x.test`, 'x@y.test').length).toBeLessThan(25);
    expect(new Set([key, tripletKey('192.0.2.2', 'a@example.test', 'x@sinkhole.test'), tripletKey('192.0.2.1', '', 'x@sinkhole.test'), tripletKey('192.0.2.1', 'a@example.test', 'y@sinkhole.test')]).size).toBe(4);
  });
});

describe('greylist options', () => {
  it('the defaults are the plan: 421, 30 minutes, per IP, no minimum delay', () => {
    expect(DEFAULT_GREYLIST).toEqual({ windowMs: 30 * MIN, minDelayMs: 0, code: 421, key: 'ip', maxEntries: 100_000 });
    expect(greylistProblem(DEFAULT_GREYLIST)).toBeUndefined();
  });

  it('refuses settings under which nothing could pass', () => {
    expect(greylistProblem({ ...DEFAULT_GREYLIST, minDelayMs: 30 * MIN })).toContain('must be shorter than the window');
    expect(greylistProblem({ ...DEFAULT_GREYLIST, windowMs: 0 })).toContain('longer than 0');
    expect(greylistProblem({ ...DEFAULT_GREYLIST, maxEntries: 0 })).toContain('at least 1');
  });
});
