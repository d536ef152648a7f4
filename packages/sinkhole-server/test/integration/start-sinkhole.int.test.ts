import { createManualClock } from '@sinkhole/test-kit';
import type { ModeProvider } from '@sinkhole/mode-providers';
import { afterEach, describe, expect, it } from 'vitest';
import { startSinkhole, type Sinkhole, type SinkholeLogRecord } from '../../src/index.js';
import { rcptReply } from '../support/sessions.js';

const started: Sinkhole[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close({ graceMs: 100 })));
});

async function start(options: Parameters<typeof startSinkhole>[0]): Promise<Sinkhole> {
  const s = await startSinkhole({ hostname: 'sink.test', ...options });
  started.push(s);
  return s;
}

/** Collects records from an events iteration until `count` match. */
async function take(events: AsyncIterator<SinkholeLogRecord>, count: number, match: (r: SinkholeLogRecord) => boolean): Promise<SinkholeLogRecord[]> {
  const found: SinkholeLogRecord[] = [];
  while (found.length < count) {
    const next = await events.next();
    if (next.done === true) break;
    if (match(next.value)) found.push(next.value);
  }
  return found;
}

describe('startSinkhole', () => {
  it('exposes the attempt ledger: an address script counted per RCPT, readable and clearable', async () => {
    const clock = createManualClock(0);
    const s = await start({ mode: 'accept', clock, ledger: { maxEntries: 10 } });
    const to = 'qp-7+421x2.250@sinkhole.test';
    const answers = [];
    for (let i = 0; i < 3; i++) {
      answers.push(await rcptReply(s.address.port, '127.0.0.1', to));
      clock.advance(60_000);
    }
    expect(answers.map((a) => a.slice(0, 3))).toEqual(['421', '421', '250']);
    expect(s.ledger.size).toBe(1);
    const entry = s.ledger.get(`recipient:${to}`);
    expect(entry).toMatchObject({ kind: 'recipient', attempts: 3, firstSeen: 0, lastSeen: 120_000 });
    expect(entry?.history.map((h) => [h.attempt, h.outcome.code, h.sinceFirstMs])).toEqual([
      [1, 421, 0],
      [2, 421, 60_000],
      [3, 250, 120_000],
    ]);
    expect(entry?.history[0]?.client).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(s.ledger.entries().map((e) => e.key)).toEqual([`recipient:${to}`]);
    s.clearAttempts();
    expect(s.ledger.size).toBe(0);
    expect(await rcptReply(s.address.port, '127.0.0.1', to)).toMatch(/^421 /);
  });

  it('refuses ledger bounds that cannot work', async () => {
    await expect(startSinkhole({ ledger: { maxEntries: 0 } })).rejects.toThrow(/at least 1 entry/);
  });

  it('binds 127.0.0.1 on a free port by default, in defer mode, and logs nowhere unless asked', async () => {
    const s = await start({});
    expect(s.address).toMatchObject({ address: '127.0.0.1', family: 'IPv4' });
    expect(s.address.port).toBeGreaterThan(0);
    expect(s.modeSource).toBe('fixed');
    expect(await rcptReply(s.address.port)).toBe('421 4.3.2 Service temporarily unavailable');
  });

  it('setMode applies to the next connection, and the events stream reports the change and the connections', async () => {
    const s = await start({ mode: 'bounce' });
    const events = s.events[Symbol.asyncIterator]();
    expect(await rcptReply(s.address.port)).toBe('550 5.1.1 User unknown');
    expect(s.setMode('accept')).toEqual({ kind: 'accept' });
    expect(await rcptReply(s.address.port)).toBe('250 2.1.5 OK');
    const records = await take(events, 3, (r) => r.msg === 'connection' || r.msg === 'mode-changed');
    // The first connection's line may come just after the change: the client sees EOF before the server's close.
    expect(records.filter((r) => r.msg === 'connection').map((r) => (r.msg === 'connection' ? r.mode : ''))).toEqual(['bounce', 'accept']);
    expect(records.find((r) => r.msg === 'mode-changed')).toMatchObject({ level: 'info', from: 'bounce', to: 'accept', source: 'setMode' });
    expect(() => s.setMode('acept')).toThrow(/unknown mode "acept"/);
  });

  it('writes JSON lines to a log sink, filtered by level, and the events stream ends at close()', async () => {
    const lines: string[] = [];
    const s = await startSinkhole({ mode: 'accept', log: (line) => lines.push(line), logLevel: 'warn' });
    const events = s.events[Symbol.asyncIterator]();
    await rcptReply(s.address.port);
    const connection = await take(events, 1, (r) => r.msg === 'connection');
    expect(connection[0]).toMatchObject({ level: 'info', msg: 'connection', mode: 'accept' });
    await s.close({ reason: 'test' });
    const rest: string[] = [];
    for (;;) {
      const next = await events.next();
      if (next.done === true) break;
      rest.push(next.value.msg);
    }
    expect(rest).toEqual(['shutting-down', 'stopped']);
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['listening', 'shutting-down', 'stopped']);
  });

  it('reads a mode provider through the cache: once per TTL on the injected clock, not per connection', async () => {
    let lookups = 0;
    let value: 'bounce' | 'accept' = 'bounce';
    const provider: ModeProvider = {
      name: 'test-provider',
      lookup: async () => {
        lookups++;
        return value;
      },
    };
    const clock = createManualClock(0);
    const s = await start({ modeProvider: provider, cacheTtlMs: 30_000, clock });
    expect(s.modeSource).toBe('test-provider');
    expect(await rcptReply(s.address.port)).toBe('550 5.1.1 User unknown');
    value = 'accept';
    expect(await rcptReply(s.address.port)).toBe('550 5.1.1 User unknown');
    expect(lookups).toBe(1);
    clock.advance(30_000);
    expect(await rcptReply(s.address.port)).toBe('250 2.1.5 OK');
    expect(lookups).toBe(2);
  });

  it('refuses impossible greylist settings and a mode and a provider together', async () => {
    await expect(startSinkhole({ greylist: { minDelayMs: 60_000, windowMs: 60_000 } })).rejects.toThrow(RangeError);
    await expect(startSinkhole({ mode: 'defer', modeProvider: { name: 'x', lookup: async () => 'defer' } })).rejects.toThrow(TypeError);
  });
});
