import { createManualClock } from '@sinkhole/test-kit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AttemptLedger, type AttemptDetails } from '../../src/ledger/attempt-ledger.js';
import { ledgerKey } from '../../src/ledger/ledger-key.js';
import { DEFAULT_LEDGER, ledgerProblem, type LedgerOptions } from '../../src/ledger/ledger-options.js';

const MIN = 60_000;
const DETAILS: AttemptDetails = { outcome: { code: 421, enhanced: '4.3.2' }, phase: 'rcpt', client: '192.0.2.1:40000', connection: 'c-1' };

function ledger(options: Partial<LedgerOptions> = {}) {
  const clock = createManualClock(1_000_000);
  return { l: new AttemptLedger({ ...DEFAULT_LEDGER, ...options }, clock), clock };
}

describe('AttemptLedger', () => {
  it('counts attempts per key with first seen, time since first and each outcome', () => {
    const { l, clock } = ledger();
    const key = ledgerKey('recipient', 'QP-7+421x2.250@Sinkhole.test');
    expect(key).toBe('recipient:qp-7+421x2.250@sinkhole.test');
    expect(l.upcoming(key)).toEqual({ attempt: 1, sinceFirstMs: 0, state: undefined });
    expect(l.record(key, 'recipient', DETAILS)).toMatchObject({ attempt: 1, at: 1_000_000, sinceFirstMs: 0 });
    clock.advance(5 * MIN);
    expect(l.upcoming(key)).toMatchObject({ attempt: 2, sinceFirstMs: 5 * MIN });
    l.record(key, 'recipient', { ...DETAILS, connection: 'c-2' });
    clock.advance(5 * MIN);
    l.record(key, 'recipient', { ...DETAILS, outcome: { code: 250, enhanced: '2.1.5' }, connection: 'c-3' });
    const entry = l.get(key);
    expect(entry).toMatchObject({ key, kind: 'recipient', firstSeen: 1_000_000, lastSeen: 1_000_000 + 10 * MIN, attempts: 3 });
    expect(entry?.history.map((h) => [h.attempt, h.outcome.code, h.connection, h.sinceFirstMs])).toEqual([
      [1, 421, 'c-1', 0],
      [2, 421, 'c-2', 5 * MIN],
      [3, 250, 'c-3', 10 * MIN],
    ]);
    expect(l.size).toBe(1);
  });

  it('keeps at most maxHistory attempts per key, and the count goes on', () => {
    const { l } = ledger({ maxHistory: 2 });
    for (let i = 0; i < 5; i++) l.record('k', 'client', DETAILS);
    const entry = l.get('k');
    expect(entry?.attempts).toBe(5);
    expect(entry?.history.map((h) => h.attempt)).toEqual([4, 5]);
  });

  it('forgets a key not attempted for maxAgeMs, so its next attempt is 1 again', () => {
    const { l, clock } = ledger({ maxAgeMs: 10 * MIN });
    l.record('k', 'client', DETAILS);
    clock.advance(10 * MIN - 1);
    l.record('k', 'client', DETAILS);
    clock.advance(10 * MIN - 1);
    expect(l.upcoming('k').attempt).toBe(3);
    clock.advance(1);
    expect(l.get('k')).toBeUndefined();
    expect(l.upcoming("k")).toMatchObject({ attempt: 1, sinceFirstMs: 0 });
    expect(l.size).toBe(0);
  });

  it('when full, evicts the key attempted least recently', () => {
    const { l, clock } = ledger({ maxEntries: 2 });
    l.record('a', 'client', DETAILS);
    clock.advance(1);
    l.record('b', 'client', DETAILS);
    clock.advance(1);
    l.record('a', 'client', DETAILS);
    clock.advance(1);
    l.record('c', 'client', DETAILS);
    expect(l.entries().map((e) => e.key)).toEqual(['a', 'c']);
    expect(l.evicted).toBe(1);
  });

  it('clear() forgets everything', () => {
    const { l } = ledger();
    l.record('a', 'client', DETAILS);
    l.clear();
    expect(l.size).toBe(0);
    expect(l.upcoming('a').attempt).toBe(1);
  });

  it('entries are snapshots', () => {
    const { l } = ledger();
    l.record('a', 'client', DETAILS);
    const [before] = l.entries();
    l.record('a', 'client', DETAILS);
    expect(before?.attempts).toBe(1);
    expect(before?.history).toHaveLength(1);
  });

  it('checks its options', () => {
    expect(ledgerProblem(DEFAULT_LEDGER)).toBeUndefined();
    expect(ledgerProblem({ ...DEFAULT_LEDGER, maxEntries: 0 })).toMatch(/at least 1 entry/);
    expect(ledgerProblem({ ...DEFAULT_LEDGER, maxAgeMs: 0 })).toMatch(/longer than 0/);
    expect(ledgerProblem({ ...DEFAULT_LEDGER, maxHistory: 0 })).toMatch(/at least 1 attempt/);
  });

  it('matches a reference model under random attempts and clock steps', () => {
    type Op = { readonly kind: 'attempt'; readonly key: string } | { readonly kind: 'wait'; readonly ms: number } | { readonly kind: 'clear' };
    const op: fc.Arbitrary<Op> = fc.oneof(
      { arbitrary: fc.record({ kind: fc.constant('attempt' as const), key: fc.constantFrom('a', 'b', 'c', 'd', 'e') }), weight: 10 },
      { arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 40 }) }), weight: 5 },
      { arbitrary: fc.record({ kind: fc.constant('clear' as const) }), weight: 1 },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 3 }), (ops, maxEntries, maxAgeMs, maxHistory) => {
        const clock = createManualClock(0);
        const l = new AttemptLedger({ maxEntries, maxAgeMs, maxHistory }, clock);
        // The model: a plain list in order of the latest attempt, with first seen and count.
        let model: { key: string; first: number; last: number; count: number }[] = [];
        let now = 0;
        for (const step of ops) {
          if (step.kind === 'wait') {
            clock.advance(step.ms);
            now += step.ms;
            continue;
          }
          if (step.kind === 'clear') {
            l.clear();
            model = [];
            continue;
          }
          model = model.filter((m) => now - m.last < maxAgeMs);
          const found = model.find((m) => m.key === step.key);
          const expected = found === undefined ? { attempt: 1, sinceFirstMs: 0 } : { attempt: found.count + 1, sinceFirstMs: now - found.first };
          expect(l.upcoming(step.key)).toMatchObject(expected);
          const record = l.record(step.key, 'client', DETAILS);
          expect(record.attempt).toBe(expected.attempt);
          model = model.filter((m) => m.key !== step.key);
          model.push({ key: step.key, first: found?.first ?? now, last: now, count: expected.attempt });
          if (model.length > maxEntries) model.shift();
        }
        model = model.filter((m) => now - m.last < maxAgeMs);
        const seen = l.entries();
        expect(seen.map((e) => [e.key, e.firstSeen, e.attempts])).toEqual(model.map((m) => [m.key, m.first, m.count]));
        for (const e of seen) {
          const kept = Math.min(e.attempts, maxHistory);
          expect(e.history.map((h) => h.attempt)).toEqual(Array.from({ length: kept }, (_, i) => e.attempts - kept + 1 + i));
        }
      }),
      { numRuns: 300 },
    );
  });
});
