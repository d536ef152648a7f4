// The long poll of GET /transactions, checked against the wall clock (it must not answer before the
// message, nor wait out its 30 s): out of the fast tier.
import { afterEach, describe, expect, it } from 'vitest';
import { startSinkhole, type Sinkhole, type StartSinkholeOptions } from '../../src/index.js';
import { request, sendMail } from '../support/http-client.js';

const started: Sinkhole[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close({ graceMs: 100 })));
});

async function start(options: StartSinkholeOptions): Promise<{ s: Sinkhole; port: number }> {
  const s = await startSinkhole({ hostname: 'sink.test', ...options, http: { host: '127.0.0.1', port: 0, token: 'test-token-0123456789abcdef' } });
  started.push(s);
  if (s.httpAddress === undefined) throw new Error('no HTTP address');
  return { s, port: s.httpAddress.port };
}

describe('HTTP surface on loopback: the transactions long poll, timed', () => {
  it('GET /transactions?wait= returns as soon as a matching message is accepted, well before the wait is over', async () => {
    const { s, port } = await start({ mode: 'accept' });
    await sendMail(s.address.port, 'other@sink.test');
    const askedAt = Date.now();
    let answeredAt: number | undefined;
    const waiting = request(port, '/transactions?rcpt=late@sink.test&wait=30s').then((r) => {
      answeredAt = Date.now();
      return r;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(answeredAt).toBeUndefined();
    const sentAt = Date.now();
    await sendMail(s.address.port, 'late@sink.test');
    const r = await waiting;
    expect(r.status).toBe(200);
    expect((r.json as { transactions: { rcptTo: string[] }[] }).transactions.map((t) => t.rcptTo)).toEqual([['late@sink.test']]);
    expect(answeredAt as number).toBeGreaterThanOrEqual(sentAt);
    // It answered because the message came, not because 30 s passed.
    expect((answeredAt as number) - askedAt).toBeLessThan(15_000);
  });
});
