import { createManualClock } from '@sinkhole/test-kit';
import { parseMode } from '../../../src/mode/parse-mode.js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GREYLIST } from '../../../src/greylist/greylist-options.js';
import { Greylister } from '../../../src/greylist/greylister.js';
import { AttemptLedger } from '../../../src/ledger/attempt-ledger.js';
import { DEFAULT_LEDGER } from '../../../src/ledger/ledger-options.js';
import { SinkholeLog } from '../../../src/log/sinkhole-log.js';
import { ModeSelector } from '../../../src/mode/mode-selector.js';
import { sinkholePolicy } from '../../../src/policy/sinkhole-policy.js';
import { ProtocolSession } from '../../support/protocol-session.js';

function setup(document: unknown) {
  const lines: Record<string, unknown>[] = [];
  const clock = createManualClock(0);
  const log = new SinkholeLog({ sink: (line) => lines.push(JSON.parse(line) as Record<string, unknown>), level: 'info' });
  const modes = new ModeSelector({ mode: JSON.stringify(document), clock, onEvent: () => undefined });
  const ledger = new AttemptLedger(DEFAULT_LEDGER, clock);
  const factory = sinkholePolicy(modes, { log, greylister: new Greylister(DEFAULT_GREYLIST, clock), ledger, addressScripts: true });
  return { factory, lines, clock, ledger };
}

const MESSAGE = 'Subject: hi\r\nMessage-ID: <m1@client.test>\r\nX-Scenario: drop-me\r\n\r\nbody\r\n.\r\n';

describe('scenario documents in a session (sans I/O)', () => {
  it('RCPT rules apply per recipient inside one transaction; the first match wins; otherwise answers the rest', () => {
    const { factory } = setup({
      otherwise: 'accept',
      rules: [
        { to: '*+full@*', reply: '452 4.2.2 Mailbox full' },
        { to: 'b*@*', reply: 'bounce' },
        { to: 'b*@*', reply: 'defer' },
      ],
    });
    const s = new ProtocolSession(factory);
    expect(s.send('EHLO c.test', 'MAIL FROM:<a@example.test>', 'RCPT TO:<ok@sink.test>', 'RCPT TO:<bob@sink.test>', 'RCPT TO:<x+full@sink.test>').slice(2)).toEqual([
      '250 2.1.5 OK',
      '550 5.1.1 User unknown',
      '452 4.2.2 Mailbox full',
    ]);
    expect(s.send('DATA')).toEqual(['354 End data with <CR><LF>.<CR><LF>']);
    expect(s.write(MESSAGE)).toEqual(['250 2.0.0 OK: message accepted']);
  });

  it('a data-end rule answers the transaction: by header, by size, and the accepted line only for 2xx', () => {
    const { factory, lines } = setup({
      otherwise: 'accept',
      rules: [
        { on: 'data-end', header: { name: 'x-scenario', value: 'drop*' }, reply: '554 5.7.1 Rejected by header' },
        { on: 'data-end', size: { min: 1000 }, reply: '552 5.3.4 Too big for this test' },
      ],
    });
    const s = new ProtocolSession(factory);
    s.send('EHLO c.test', 'MAIL FROM:<a@example.test>', 'RCPT TO:<a@sink.test>', 'DATA');
    expect(s.write(MESSAGE)).toEqual(['554 5.7.1 Rejected by header']);
    s.send('MAIL FROM:<a@example.test>', 'RCPT TO:<a@sink.test>', 'DATA');
    expect(s.write(`Subject: big\r\n\r\n${'x'.repeat(1200)}\r\n.\r\n`)).toEqual(['552 5.3.4 Too big for this test']);
    s.send('MAIL FROM:<a@example.test>', 'RCPT TO:<a@sink.test>', 'DATA');
    expect(s.write('Subject: fine\r\n\r\nok\r\n.\r\n')).toEqual(['250 2.0.0 OK: message accepted']);
    expect(lines.filter((l) => l['msg'] === 'accepted')).toHaveLength(1);
  });

  it('per-source responses: a client network gets its own answer, at connect, HELO or MAIL', () => {
    const document = {
      otherwise: 'accept',
      rules: [
        { on: 'connect', client: '203.0.113.0/24', reply: '554 5.7.1 No service for you' },
        { on: 'helo', helo: '*.bad.test', reply: '550 5.7.1 Bad HELO' },
        { on: 'mail', from: '*@spam.test', reply: '553 5.7.1 Sender refused' },
        { client: ['198.51.100.7', '2001:db8::/32'], reply: 'defer' },
      ],
    };
    const { factory } = setup(document);
    expect(new ProtocolSession(factory, { remoteAddress: '203.0.113.5' }).replies).toEqual(['554 5.7.1 No service for you']);
    const h = new ProtocolSession(factory);
    const answers = h.send('EHLO x.bad.test', 'EHLO good.test', 'MAIL FROM:<a@spam.test>', 'MAIL FROM:<a@ok.test>');
    expect(answers[0]).toBe('550 5.7.1 Bad HELO');
    expect(answers[1]).toMatch(/^250 /);
    expect(answers.slice(2)).toEqual(['553 5.7.1 Sender refused', '250 2.1.0 OK']);
    for (const remoteAddress of ['198.51.100.7', '::ffff:198.51.100.7', '2001:db8::9']) {
      const s = new ProtocolSession(factory, { remoteAddress });
      expect(s.send('EHLO c.test', 'MAIL FROM:<a@ok.test>', 'RCPT TO:<x@sink.test>').at(-1)).toBe('421 4.3.2 Service temporarily unavailable');
    }
  });

  it('attempt and since conditions count by the document key; a script rule keeps its place in the ledger', () => {
    const { factory, clock, ledger } = setup({
      countBy: 'triplet',
      otherwise: 'accept',
      rules: [
        { to: 'a@*', attempt: { max: 2 }, reply: '451 4.3.0 Try again' },
        { to: 'b@*', since: { max: '10m' }, reply: 'grey' },
        { to: 'c@*', script: '450x2.550' },
      ],
    });
    const rcpt = (to: string): string | undefined => {
      const s = new ProtocolSession(factory);
      const last = s.send('EHLO c.test', 'MAIL FROM:<s@example.test>', `RCPT TO:<${to}>`).at(-1);
      s.close();
      return last?.slice(0, 3);
    };
    expect([rcpt('a@x'), rcpt('a@x'), rcpt('a@x')]).toEqual(['451', '451', '250']);
    expect(rcpt('b@x')).toBe('421');
    clock.advance(10 * 60_000 + 1);
    expect(rcpt('b@x')).toBe('250');
    expect([rcpt('c@x'), rcpt('c@x'), rcpt('c@x'), rcpt('c@x')]).toEqual(['450', '450', '550', '550']);
    expect(ledger.get('triplet:192.0.2.1/s@example.test/a@x')?.attempts).toBe(3);
  });

  it('countBy message-id counts end-of-data attempts by the Message-ID header', () => {
    const { factory, ledger } = setup({ countBy: 'message-id', otherwise: 'accept', rules: [{ on: 'data-end', attempt: 1, reply: '451 4.3.0 First try fails' }] });
    const send = (): string | undefined => {
      const s = new ProtocolSession(factory);
      s.send('EHLO c.test', 'MAIL FROM:<s@example.test>', 'RCPT TO:<r@sink.test>', 'DATA');
      return s.write(MESSAGE)[0];
    };
    expect(send()).toBe('451 4.3.0 First try fails');
    expect(send()).toBe('250 2.0.0 OK: message accepted');
    expect(ledger.get('message-id:<m1@client.test>')?.history.map((h) => h.outcome.code)).toEqual([451, 250]);
  });

  it('address scripts come before the document', () => {
    const { factory } = setup({ otherwise: 'defer', rules: [{ to: '*', reply: 'bounce' }] });
    const s = new ProtocolSession(factory);
    expect(s.send('EHLO c.test', 'MAIL FROM:<s@example.test>', 'RCPT TO:<t+250@sink.test>', 'RCPT TO:<u@sink.test>').slice(2)).toEqual(['250 2.1.5 OK', '550 5.1.1 User unknown']);
  });

  it('logs the document by name (or a hash), not in full', () => {
    const { factory, lines } = setup({ name: 'qp-test', otherwise: 'accept', rules: [] });
    const s = new ProtocolSession(factory);
    s.send('QUIT');
    s.close('quit');
    expect(lines[0]).toMatchObject({ msg: 'connection', mode: 'scenario:qp-test' });
  });
});

describe('scenario phases starttls and auth', () => {
  it('on starttls a reply refuses (454 4.7.0), tls: reset|alert breaks the handshake, and only there', () => {
    const refuse = setup({ otherwise: 'accept', rules: [{ on: 'starttls', reply: '454 4.7.0 TLS not available' }] });
    const policy = refuse.factory({ id: 'x', remoteAddress: '192.0.2.1', remotePort: 1 } as never) as { onStartTls: (s: unknown) => unknown };
    expect(policy.onStartTls({ remoteAddress: '192.0.2.1', helo: 'c' })).toMatchObject({ code: 454, enhanced: '4.7.0' });
    const abort = setup({ otherwise: 'accept', rules: [{ on: 'starttls', client: '192.0.2.0/24', tls: 'alert' }] });
    const p2 = abort.factory({ id: 'y', remoteAddress: '192.0.2.1', remotePort: 1 } as never) as { onStartTls: (s: unknown) => unknown };
    expect(p2.onStartTls({ remoteAddress: '192.0.2.1', helo: 'c' })).toEqual({ abort: 'alert' });
    const p3 = abort.factory({ id: 'w', remoteAddress: '198.51.100.1', remotePort: 1 } as never) as { onStartTls: (s: unknown) => unknown };
    expect(p3.onStartTls({ remoteAddress: '198.51.100.1', helo: 'c' })).toBeUndefined();
  });

  it('a tls outcome outside starttls, or a non-STARTTLS reply class there, is refused with its path', () => {
    expect(() => setup({ rules: [{ on: 'rcpt', tls: 'reset' }] })).toThrow();
    const parsed = parseMode(JSON.stringify({ rules: [{ on: 'rcpt', tls: 'reset' }] }));
    expect(parsed.ok ? '' : parsed.error.message).toMatch(/rules\[0\]\.tls.*starttls only/);
    const bad = parseMode(JSON.stringify({ rules: [{ on: 'starttls', reply: '250 2.0.0 ok' }] }));
    expect(bad.ok ? '' : bad.error.message).toMatch(/STARTTLS must answer 220/);
  });

  it('on auth a rule refuses with 535 5.7.8', () => {
    const { factory } = setup({ otherwise: 'accept', rules: [{ on: 'auth', reply: '535 5.7.8 Authentication credentials invalid' }] });
    const policy = factory({ id: 'z', remoteAddress: '192.0.2.1', remotePort: 1 } as never) as { onAuth: (c: unknown, s: unknown) => unknown };
    expect(policy.onAuth({ mechanism: 'PLAIN', authorizationId: '', username: 'u', password: 'p' }, { remoteAddress: '192.0.2.1', helo: 'c' })).toMatchObject({ code: 535, enhanced: '5.7.8' });
  });
});

describe('scenario rule extensions (a per-client EHLO)', () => {
  it('one sinkhole serves both shapes: clients in the network get none, the others the default set', () => {
    const { factory } = setup({ otherwise: 'accept', rules: [{ on: 'helo', client: '192.0.2.0/24', extensions: 'none' }] });
    const plain = new ProtocolSession(factory, { remoteAddress: '192.0.2.7' });
    expect(plain.send('EHLO c.test')).toEqual(['250 sink.test']);
    expect(plain.send('MAIL FROM:<a@b.test> BODY=8BITMIME')[0]).toMatch(/^555 /);
    const full = new ProtocolSession(factory, { remoteAddress: '198.51.100.7' });
    // Replies are shown by their last line: the default set ends with BINARYMIME.
    expect(full.send('EHLO c.test')).toEqual(['250 BINARYMIME']);
  });

  it('extensions is refused outside helo and with a bad list, naming the place', () => {
    const outside = parseMode(JSON.stringify({ rules: [{ on: 'rcpt', extensions: 'none' }] }));
    expect(outside.ok ? '' : outside.error.message).toMatch(/rules\[0\]\.extensions.*"on": "helo"/);
    const bad = parseMode(JSON.stringify({ rules: [{ on: 'helo', extensions: 'starttls' }] }));
    expect(bad.ok ? '' : bad.error.message).toMatch(/rules\[0\]\.extensions.*"starttls" \(item 1\) is not an extension/);
  });
});
