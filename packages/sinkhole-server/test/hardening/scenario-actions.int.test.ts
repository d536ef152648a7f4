import { afterEach, describe, expect, it } from 'vitest';
import { startSinkhole, type Sinkhole } from '../../src/index.js';
import { SmtpTestClient } from '@sinkhole/test-kit';

const started: Sinkhole[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close({ graceMs: 100 })));
});

const DOCUMENT = {
  name: 'faults',
  otherwise: 'accept',
  rules: [
    { to: 'slow@*', reply: '451 4.3.0 Slow', delay: '250ms' },
    { to: 'reset@*', close: 'rst' },
    { to: 'gone@*', close: 'fin' },
    { to: 'drip@*', reply: 'accept', trickle: '5ms' },
    { on: 'data-end', from: 'drop@*', reply: '250 2.0.0 Taken', close: 'fin' },
  ],
};

async function rcpt(port: number, from: string, to: string): Promise<SmtpTestClient> {
  const c = await SmtpTestClient.connect(port);
  await c.reply();
  await c.command('EHLO lib.test');
  await c.command(`MAIL FROM:<${from}>`);
  c.send(`RCPT TO:<${to}>`);
  return c;
}

describe('scenario document actions through startSinkhole()', () => {
  it('delay, silent FIN, RST, trickle and accept-then-drop, each recorded in the ledger', async () => {
    const s = await startSinkhole({ hostname: 'sink.test', mode: JSON.stringify(DOCUMENT) });
    started.push(s);
    const { port } = s.address;

    const slow = await rcpt(port, 'a@x.test', 'slow@sink.test');
    const sent = performance.now();
    expect((await slow.reply()).last).toBe('451 4.3.0 Slow');
    expect(performance.now() - sent).toBeGreaterThanOrEqual(249);
    slow.close();

    const reset = await rcpt(port, 'a@x.test', 'reset@sink.test');
    expect((await reset.ending()).ending).toBe('reset');
    const gone = await rcpt(port, 'a@x.test', 'gone@sink.test');
    expect(await gone.ending()).toEqual({ ending: 'eof', unread: [] });

    const drip = await rcpt(port, 'a@x.test', 'drip@sink.test');
    expect((await drip.reply()).last).toBe('250 2.1.5 OK');
    drip.close();

    const drop = await rcpt(port, 'drop@x.test', 'r@sink.test');
    expect((await drop.reply()).code).toBe(250);
    await drop.command('DATA');
    drop.write('Subject: t\r\n\r\nx\r\n.\r\n');
    expect((await drop.reply()).last).toBe('250 2.0.0 Taken');
    expect((await drop.ending()).ending).toBe('eof');

    expect(s.ledger.get('recipient:slow@sink.test')?.history[0]?.outcome).toEqual({ code: 451, enhanced: '4.3.0', action: 'delay 250ms' });
    expect(s.ledger.get('recipient:reset@sink.test')?.history[0]?.outcome).toEqual({ code: 0, enhanced: undefined, action: 'close rst' });
    expect(s.ledger.get('recipient:drip@sink.test')?.history[0]?.outcome.action).toBe('trickle 5ms');
  });

  it('a bad document is refused with the path, and the last good mode is kept', async () => {
    const s = await startSinkhole({ hostname: 'sink.test', mode: 'bounce' });
    started.push(s);
    expect(() => s.setMode('{"rules":[{"to":"*","reply":"accept","delay":"2h"}]}')).toThrow(/at rules\[0\]\.delay: expected a duration/);
    const c = await rcpt(s.address.port, 'a@x.test', 'x@sink.test');
    expect((await c.reply()).last).toBe('550 5.1.1 User unknown');
    c.close();
  });
});
