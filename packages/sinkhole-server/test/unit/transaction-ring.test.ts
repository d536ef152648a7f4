import { describe, expect, it } from 'vitest';
import type { NewTransaction } from '../../src/transactions/accepted-transaction.js';
import { matches } from '../../src/transactions/accepted-transaction.js';
import { TransactionRing } from '../../src/transactions/transaction-ring.js';

function tx(rcpt: string, headers?: string): NewTransaction {
  return { id: 'c-1', client: '127.0.0.1:1', mode: 'accept', helo: 'h', mailFrom: 'a@x', rcptTo: [rcpt], size: 10, ...(headers === undefined ? {} : { headers }) };
}

describe('TransactionRing', () => {
  it('keeps the last maxEntries, numbered in order', () => {
    const ring = new TransactionRing({ maxEntries: 3, maxBytes: 1 << 20, maxWaiters: 4 });
    for (let i = 1; i <= 5; i++) ring.record(tx(`r${i}@x`));
    expect(ring.list().map((t) => [t.seq, t.rcptTo[0]])).toEqual([[3, 'r3@x'], [4, 'r4@x'], [5, 'r5@x']]);
    expect(ring.lastSeq).toBe(5);
  });

  it('keeps within maxBytes, dropping the oldest (always at least the newest)', () => {
    const ring = new TransactionRing({ maxEntries: 100, maxBytes: 20_000, maxWaiters: 4 });
    for (let i = 0; i < 10; i++) ring.record(tx(`r${i}@x`, 'H'.repeat(4_000)));
    expect(ring.size).toBeLessThanOrEqual(3);
    ring.record(tx('huge@x', 'H'.repeat(100_000)));
    expect(ring.list().map((t) => t.rcptTo[0])).toEqual(['huge@x']);
  });

  it('a wait is woken by the first matching transaction; a full waiting room answers at once', async () => {
    const ring = new TransactionRing({ maxEntries: 10, maxBytes: 1 << 20, maxWaiters: 1 });
    const waiting = ring.waitFor((t) => matches(t, { rcpt: 'B@X' }), 10_000);
    expect(await ring.waitFor(() => true, 10_000)).toBeUndefined();
    ring.record(tx('a@x'));
    ring.record(tx('b@x'));
    expect((await waiting)?.seq).toBe(2);
    expect(ring.waiting).toBe(0);
  });

  it('an aborted wait ends with nothing and leaves no waiter behind', async () => {
    const ring = new TransactionRing({ maxEntries: 10, maxBytes: 1 << 20, maxWaiters: 4 });
    const controller = new AbortController();
    const waiting = ring.waitFor(() => true, 10_000, controller.signal);
    controller.abort();
    expect(await waiting).toBeUndefined();
    expect(ring.waiting).toBe(0);
  });

  it('filters by recipient (case-insensitive), cursor and time', () => {
    const ring = new TransactionRing({ maxEntries: 10, maxBytes: 1 << 20, maxWaiters: 4 });
    const first = ring.record(tx('One@X'));
    ring.record(tx('two@x'));
    expect(matches(first, { rcpt: 'one@x' })).toBe(true);
    expect(ring.list((t) => matches(t, { afterSeq: 1 })).map((t) => t.seq)).toEqual([2]);
    expect(ring.list((t) => matches(t, { sinceTime: Date.now() + 60_000 }))).toEqual([]);
  });
});
