import { describe, expect, it } from 'vitest';
import { ProtocolHarness } from '../support/protocol-harness.js';

const HELLO = 'EHLO client.test\r\n';
const codes = (...lines: string[]): number[] => new ProtocolHarness().send(lines.map((l) => `${l}\r\n`).join('')).codes;

describe('SmtpProtocol: RFC 5321 §4.1.4 sequencing', () => {
  it('greets with 220 and the hostname', () => {
    expect(new ProtocolHarness().lines).toEqual(['220 mx.test ESMTP ready']);
  });

  it('a full transaction', () => {
    expect(codes('EHLO c', 'MAIL FROM:<a@b.c>', 'RCPT TO:<d@e.f>', 'DATA', 'hi', '.', 'QUIT')).toEqual([220, 250, 250, 250, 354, 250, 221]);
  });

  it.each([
    ['RCPT before MAIL', ['EHLO c', 'RCPT TO:<d@e.f>'], 503],
    ['DATA before MAIL', ['EHLO c', 'DATA'], 503],
    ['DATA before RCPT', ['EHLO c', 'MAIL FROM:<a@b.c>', 'DATA'], 503],
    ['nested MAIL', ['EHLO c', 'MAIL FROM:<a@b.c>', 'MAIL FROM:<a@b.c>'], 503],
    ['MAIL before HELO', ['MAIL FROM:<a@b.c>'], 503],
    ['RCPT after RSET', ['EHLO c', 'MAIL FROM:<a@b.c>', 'RSET', 'RCPT TO:<d@e.f>'], 503],
    ['RCPT after a new EHLO', ['EHLO c', 'MAIL FROM:<a@b.c>', 'EHLO c', 'RCPT TO:<d@e.f>'], 503],
    ['RCPT after a new HELO', ['EHLO c', 'MAIL FROM:<a@b.c>', 'HELO c', 'RCPT TO:<d@e.f>'], 503],
    ['unknown verb', ['EHLO c', 'FOO bar'], 500],
    ['EXPN', ['EHLO c', 'EXPN list'], 502],
    ['HELO without a domain', ['HELO'], 501],
    ['EHLO without a domain', ['EHLO'], 501],
  ])('%s', (_name, lines, code) => {
    expect(codes(...lines).at(-1)).toBe(code);
  });

  it('a malformed MAIL leaves the state unchanged', () => {
    expect(codes('EHLO c', 'MAIL FROM:<a@b.c>', 'MAIL FROM:broken', 'RCPT TO:<d@e.f>')).toEqual([220, 250, 250, 501, 250]);
    expect(codes('EHLO c', 'MAIL FROM:broken', 'RCPT TO:<d@e.f>')).toEqual([220, 250, 501, 503]);
  });

  it('a malformed RCPT is 501 5.1.3 and does not count as a recipient', () => {
    const h = new ProtocolHarness().send(`${HELLO}MAIL FROM:<a@b.c>\r\nRCPT TO:d@e.f\r\nDATA\r\n`);
    expect(h.replies.slice(-2)).toEqual([expect.stringMatching(/^501 5\.1\.3 /), expect.stringMatching(/^503 5\.5\.1 /)]);
  });

  it('DATA after every RCPT was refused is 554, not 354 (RFC 2920 §3.1)', () => {
    const h = new ProtocolHarness({ policy: { onRcptTo: () => ({ code: 550, enhanced: '5.1.1', lines: ['User unknown'] }) } });
    h.send(`${HELLO}MAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nDATA\r\nbody\r\n.\r\nQUIT\r\n`);
    expect(h.codes).toEqual([220, 250, 250, 550, 554, 500, 500, 221]);
  });

  it('QUIT answers 221 and ends the session; nothing after it is read', () => {
    const h = new ProtocolHarness().send('QUIT\r\nNOOP\r\n');
    expect(h.codes).toEqual([220, 221]);
    expect(h.endReason).toBe('quit');
  });

  it('the null reverse path and <Postmaster> are accepted', () => {
    expect(codes('EHLO c', 'MAIL FROM:<>', 'RCPT TO:<Postmaster>', 'DATA', '.')).toEqual([220, 250, 250, 250, 354, 250]);
  });

  it('HELO gives a one-line 250, EHLO the extension list', () => {
    const h = new ProtocolHarness().send('HELO c\r\nEHLO c\r\n');
    expect(h.lines).toEqual([
      '220 mx.test ESMTP ready',
      '250 mx.test',
      '250-mx.test',
      '250-PIPELINING',
      '250-SIZE 67108864',
      '250-8BITMIME',
      '250-ENHANCEDSTATUSCODES',
      '250-SMTPUTF8',
      '250-DSN',
      '250-CHUNKING',
      '250 BINARYMIME',
    ]);
  });

  it('NOOP, VRFY and HELP work in any state and change nothing', () => {
    expect(codes('NOOP', 'VRFY bob', 'HELP', 'EHLO c', 'MAIL FROM:<a@b.c>', 'NOOP', 'VRFY x', 'RCPT TO:<d@e.f>')).toEqual([220, 250, 252, 214, 250, 250, 250, 252, 250]);
  });

  it('requireHelo: false lets MAIL come first', () => {
    expect(new ProtocolHarness({ requireHelo: false }).send('MAIL FROM:<a@b.c>\r\n').codes).toEqual([220, 250]);
  });

  it('a new transaction can start after the end of DATA', () => {
    expect(codes('EHLO c', 'MAIL FROM:<a@b.c>', 'RCPT TO:<d@e.f>', 'DATA', '.', 'MAIL FROM:<a@b.c>', 'RCPT TO:<d@e.f>', 'DATA', 'x', '.')).toEqual([
      220, 250, 250, 250, 354, 250, 250, 250, 354, 250,
    ]);
  });

  it('an HTTP request gets 421 and a close', () => {
    const h = new ProtocolHarness().send('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(h.replies.at(-1)).toMatch(/^421 4\.7\.0 /);
    expect(h.endReason).toBe('reply-421');
  });

  it('a client that talks before the greeting is answered in order after it', () => {
    let release: (v: undefined) => void = () => {};
    const h = new ProtocolHarness({ policy: { onConnect: () => new Promise((resolve) => (release = resolve)) } });
    h.send('EHLO early\r\nNOOP\r\n');
    expect(h.codes).toEqual([]);
    expect(h.paused).toBe(true);
    release(undefined);
    return Promise.resolve().then(() => {
      expect(h.codes).toEqual([220, 250, 250]);
      expect(h.paused).toBe(false);
    });
  });
});

describe('SmtpProtocol: extensions', () => {
  const session = (options: ConstructorParameters<typeof ProtocolHarness>[0], ...lines: string[]): ProtocolHarness =>
    new ProtocolHarness(options).send(lines.map((l) => `${l}\r\n`).join(''));

  it('SIZE: a declared size over the limit is refused at MAIL with 552 5.3.4 (RFC 1870)', () => {
    const h = session({ limits: { maxMessageSize: 1000 } }, 'EHLO c', 'MAIL FROM:<a@b.c> SIZE=1001', 'MAIL FROM:<a@b.c> SIZE=1000');
    expect(h.replies.slice(-2)).toEqual([expect.stringMatching(/^552 5\.3\.4 /), '250 2.1.0 OK']);
    expect(h.lines).toContain('250-SIZE 1000');
  });

  it('SIZE with a bad value is 501', () => {
    expect(session({}, 'EHLO c', 'MAIL FROM:<a@b.c> SIZE=abc').codes.at(-1)).toBe(501);
  });

  it('BODY=8BITMIME and BODY=7BIT are accepted; other values are 501', () => {
    expect(session({}, 'EHLO c', 'MAIL FROM:<a@b.c> BODY=8BITMIME', 'RSET', 'MAIL FROM:<a@b.c> BODY=7bit', 'RSET', 'MAIL FROM:<a@b.c> BODY=BINARY').codes).toEqual([220, 250, 250, 250, 250, 250, 501]);
  });

  it('an unsupported parameter is 555 5.5.4, on MAIL and on RCPT', () => {
    const h = session({}, 'EHLO c', 'MAIL FROM:<a@b.c> MT-PRIORITY=3', 'MAIL FROM:<a@b.c>', 'RCPT TO:<d@e.f> XSHADOW=1');
    expect(h.replies.slice(-3)).toEqual([expect.stringMatching(/^555 5\.5\.4 /), '250 2.1.0 OK', expect.stringMatching(/^555 5\.5\.4 /)]);
  });

  it('parameters after HELO (not EHLO) are not recognised', () => {
    expect(session({}, 'HELO c', 'MAIL FROM:<a@b.c> BODY=8BITMIME').codes.at(-1)).toBe(555);
  });

  it('SMTPUTF8: UTF-8 addresses need the SMTPUTF8 parameter', () => {
    const h = session({}, 'EHLO c', 'MAIL FROM:<ü@b.c>', 'MAIL FROM:<ü@b.c> SMTPUTF8', 'RCPT TO:<ñ@例え.jp>');
    expect(h.codes).toEqual([220, 250, 553, 250, 250]);
  });

  it('a UTF-8 recipient in a transaction without SMTPUTF8 is 553 5.6.7', () => {
    expect(session({}, 'EHLO c', 'MAIL FROM:<a@b.c>', 'RCPT TO:<ñ@b.c>').replies.at(-1)).toMatch(/^553 5\.6\.7 /);
  });

  it('each extension can be hidden: not advertised, and its parameter is refused', () => {
    const h = session(
      { extensions: { pipelining: false, size: false, eightBitMime: false, smtpUtf8: false, enhancedStatusCodes: false, dsn: false, chunking: false, binaryMime: false } },
      'EHLO c',
      'MAIL FROM:<a@b.c> SIZE=10',
      'MAIL FROM:<a@b.c> BODY=8BITMIME',
      'MAIL FROM:<a@b.c> SMTPUTF8',
      'MAIL FROM:<a@b.c> RET=HDRS',
      'MAIL FROM:<a@b.c>',
      'RCPT TO:<d@e.f> NOTIFY=NEVER',
      'NOOP',
    );
    expect(h.lines.slice(1, 2)).toEqual(['250 mx.test']);
    expect(h.codes.slice(2, 9)).toEqual([555, 555, 555, 555, 250, 555, 250]);
    expect(h.lines.at(-1)).toBe('250 OK');
  });

  it('ENHANCEDSTATUSCODES: enhanced codes on every 2xx/4xx/5xx reply, none on the greeting, EHLO or 354', () => {
    const h = session({}, 'EHLO c', 'MAIL FROM:<a@b.c>', 'RCPT TO:<d@e.f>', 'DATA', '.', 'FOO', 'QUIT');
    for (const line of h.replies) {
      const code = Number(line.slice(0, 3));
      if ([220, 354].includes(code) || line === '250-SMTPUTF8' || line === '250 BINARYMIME') expect(line).not.toMatch(/^\d{3} [245]\.\d+\.\d+ /);
      else expect(line).toMatch(new RegExp(`^${code} ${Math.floor(code / 100)}\\.\\d+\\.\\d+ `));
    }
  });

  it('PIPELINING: replies to one chunk of commands are written together, in order (RFC 2920)', () => {
    const h = new ProtocolHarness();
    const before = h.writes.length;
    h.send(`${HELLO}MAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nRCPT TO:<g@h.i>\r\nDATA\r\n`);
    expect(h.writes.length - before).toBe(1);
    expect(h.codes).toEqual([220, 250, 250, 250, 250, 354]);
  });

  it('pipelining works even when it is not advertised', () => {
    const h = new ProtocolHarness({ extensions: { pipelining: false } }).send(`${HELLO}MAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nDATA\r\nx\r\n.\r\nQUIT\r\n`);
    expect(h.codes).toEqual([220, 250, 250, 250, 354, 250, 221]);
  });
});

describe('SmtpProtocol: DSN (RFC 3461)', () => {
  const session = (options: ConstructorParameters<typeof ProtocolHarness>[0], ...lines: string[]): ProtocolHarness =>
    new ProtocolHarness(options).send(lines.map((l) => `${l}\r\n`).join(''));

  it('records RET, ENVID, NOTIFY and ORCPT in the envelope, recipient by recipient', () => {
    let seen: unknown;
    const h = session(
      { policy: { onDataStart: (envelope) => void (seen = { dsn: envelope.dsn, rcpt: envelope.recipientDsn }) } },
      'EHLO c',
      'MAIL FROM:<a@b.c> RET=HDRS ENVID=id+2B1',
      'RCPT TO:<d@e.f> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;d@e.f',
      'RCPT TO:<g@h.i>',
      'RCPT TO:<j@k.l> NOTIFY=NEVER',
      'DATA',
    );
    expect(h.codes).toEqual([220, 250, 250, 250, 250, 250, 354]);
    expect(seen).toEqual({
      dsn: { ret: 'HDRS', envid: 'id+1' },
      rcpt: [{ notify: ['SUCCESS', 'FAILURE'], orcpt: { addrType: 'rfc822', address: 'd@e.f' } }, undefined, { notify: 'NEVER', orcpt: undefined }],
    });
  });

  it('malformed DSN parameters are 501 5.5.4 and change nothing', () => {
    const h = session({}, 'EHLO c', 'MAIL FROM:<a@b.c> RET=ALL', 'MAIL FROM:<a@b.c>', 'RCPT TO:<d@e.f> NOTIFY=NEVER,DELAY', 'RCPT TO:<d@e.f> NOTIFY=DELAY');
    expect(h.replies.slice(2)).toEqual([
      expect.stringMatching(/^501 5\.5\.4 Syntax error in DSN parameter: RET/),
      '250 2.1.0 OK',
      expect.stringMatching(/^501 5\.5\.4 Syntax error in DSN parameter: NOTIFY=NEVER/),
      '250 2.1.5 OK',
    ]);
  });

  it('after HELO the DSN parameters are not recognised', () => {
    expect(session({}, 'HELO c', 'MAIL FROM:<a@b.c> RET=FULL').codes.at(-1)).toBe(555);
  });
});

describe('SmtpProtocol: extensionsFor (a per-client extension set)', () => {
  it('the policy chooses this session\'s EHLO keywords and accepted parameters', () => {
    const h = new ProtocolHarness({ policy: { extensionsFor: () => ({ pipelining: false, eightBitMime: false, dsn: false }) } }).send(
      'EHLO c\r\nMAIL FROM:<a@b.c> BODY=8BITMIME\r\nMAIL FROM:<a@b.c> SIZE=10\r\n',
    );
    expect(h.lines.filter((l) => l.startsWith('250-') || l.startsWith('250 ')).slice(0, 4)).toEqual(['250-mx.test', expect.stringMatching(/^250-SIZE /), '250-ENHANCEDSTATUSCODES', '250-SMTPUTF8']);
    expect(h.codes.slice(-2)).toEqual([555, 250]);
  });

  it('without extensionsFor the server\'s set is used', () => {
    const h = new ProtocolHarness({ policy: {} }).send('EHLO c\r\n');
    expect(h.lines).toContain('250-PIPELINING');
  });
});
