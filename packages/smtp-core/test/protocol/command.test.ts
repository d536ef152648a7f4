import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCommand, type Command } from '../../src/protocol/command.js';

const parse = (line: string): Command => parseCommand(Buffer.from(line, 'utf8'));
const verb = (line: string): string => parse(line).verb;
const replyOf = (line: string): string | undefined => {
  const c = parse(line);
  return c.verb === 'INVALID' ? `${c.reply.code} ${c.reply.enhanced}` : undefined;
};

describe('parseCommand: verbs', () => {
  it.each(['EHLO x', 'ehlo x', 'EhLo x', 'HELO x', 'MAIL FROM:<>', 'mail from:<>', 'RCPT TO:<a@b>', 'DATA', 'data', 'RSET', 'NOOP', 'noop anything', 'QUIT', 'VRFY bob', 'HELP', 'HELP mail'])(
    '%s is recognised case-insensitively',
    (line) => {
      expect(['EHLO', 'HELO', 'MAIL', 'RCPT', 'DATA', 'RSET', 'NOOP', 'QUIT', 'VRFY', 'HELP']).toContain(verb(line));
    },
  );

  it.each(['EXPN staff', 'TURN', 'ETRN example.com', 'XCLIENT ADDR=1.2.3.4', 'expn x'])('%s is known but not implemented', (line) => {
    expect(verb(line)).toBe('NOT_IMPLEMENTED');
  });

  it('STARTTLS, AUTH, BDAT and LHLO are parsed', () => {
    expect(parse('starttls')).toEqual({ verb: 'STARTTLS' });
    expect(replyOf('STARTTLS x')).toBe('501 5.5.4');
    expect(parse('AUTH plain AGEAYg==')).toEqual({ verb: 'AUTH', mechanism: 'PLAIN', initialResponse: 'AGEAYg==' });
    expect(parse('AUTH LOGIN')).toEqual({ verb: 'AUTH', mechanism: 'LOGIN', initialResponse: undefined });
    expect(parse('BDAT 10 LAST')).toEqual({ verb: 'BDAT', size: 10, last: true });
    expect(parse('bdat 0 last')).toEqual({ verb: 'BDAT', size: 0, last: true });
    expect(parse('BDAT 4096')).toEqual({ verb: 'BDAT', size: 4096, last: false });
    expect(parse('LHLO client.test')).toEqual({ verb: 'LHLO', domain: 'client.test' });
  });

  it.each(['AUTH', 'AUTH PLAIN a b', 'AUTH PL@IN', `AUTH ${'X'.repeat(21)}`, 'BDAT', 'BDAT x', 'BDAT -1', 'BDAT 10 FIRST', 'BDAT 1234567890123456', 'BDAT 10 LAST x'])(
    '%j is a 501 syntax error',
    (line) => {
      expect(replyOf(line)).toBe('501 5.5.4');
    },
  );

  it.each(['FOO', 'MAILFROM:<a@b>', '', ' NOOP', 'NO0P', 'X'.repeat(40), '\u0000NOOP', 'NOOP\tx', '\u00ffHELO x'])('%j is unknown', (line) => {
    expect(verb(line)).toBe('UNKNOWN');
  });

  it('an HTTP request line is recognised as HTTP', () => {
    expect(verb('GET / HTTP/1.1')).toBe('HTTP');
    expect(verb('POST /x HTTP/1.0')).toBe('HTTP');
    expect(verb('GET')).toBe('UNKNOWN');
  });

  it('DATA, RSET and QUIT take no arguments', () => {
    expect(replyOf('DATA x')).toBe('501 5.5.4');
    expect(replyOf('RSET now')).toBe('501 5.5.4');
    expect(replyOf('QUIT please')).toBe('501 5.5.4');
    expect(verb('QUIT ')).toBe('QUIT');
  });

  it('HELO/EHLO need a domain (501)', () => {
    expect(replyOf('HELO')).toBe('501 5.5.4');
    expect(replyOf('EHLO   ')).toBe('501 5.5.4');
    expect(parse('EHLO client.example.com extra words')).toEqual({ verb: 'EHLO', domain: 'client.example.com' });
    expect(parse('HELO [127.0.0.1]')).toEqual({ verb: 'HELO', domain: '[127.0.0.1]' });
  });

  it('property: the EHLO domain is the first word of the arguments, whatever the bytes', () => {
    // The rule as written once for text: control characters or bad UTF-8 are a 501; else trim, first word.
    const expected = (args: Buffer): string | undefined => {
      if (args.some((c) => c < 0x20 || c === 0x7f)) return undefined;
      const text = args.toString('utf8');
      if (!Buffer.from(text, 'utf8').equals(args)) return undefined;
      const word = text.trim().split(' ', 1)[0];
      return word === '' ? undefined : word;
    };
    const bytes = fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 30 }).map((t) => new Uint8Array(Buffer.from(t, 'utf8'))), fc.constantFrom(new Uint8Array(Buffer.from('  a b  ')), new Uint8Array(Buffer.from('\u00a0x\u00a0y'))));
    fc.assert(
      fc.property(bytes, (args) => {
        const c = parseCommand(Buffer.concat([Buffer.from('EHLO '), args]));
        const want = expected(Buffer.from(args));
        expect(c.verb === 'EHLO' ? c.domain : undefined).toBe(want);
        if (want === undefined) expect(c.verb).toBe('INVALID');
      }),
      { numRuns: 3000 },
    );
  });

  it('VRFY needs an argument', () => {
    expect(replyOf('VRFY')).toBe('501 5.5.4');
  });
});

describe('parseCommand: MAIL and RCPT paths (RFC 5321 §4.1.2)', () => {
  const mailbox = (line: string): unknown => {
    const c = parse(line);
    return c.verb === 'MAIL' || c.verb === 'RCPT' ? { address: c.path.address, local: c.path.localPart, domain: c.path.domain, route: c.path.sourceRoute } : c;
  };

  it.each([
    ['MAIL FROM:<>', { address: '', local: '', domain: '', route: [] }],
    ['MAIL FROM:<user@example.com>', { address: 'user@example.com', local: 'user', domain: 'example.com', route: [] }],
    ['MAIL FROM:<first.last+tag@sub.example.co.uk>', { address: 'first.last+tag@sub.example.co.uk', local: 'first.last+tag', domain: 'sub.example.co.uk', route: [] }],
    ['MAIL FROM:<"john doe"@example.com>', { address: '"john doe"@example.com', local: 'john doe', domain: 'example.com', route: [] }],
    ['MAIL FROM:<"a\\"b>c"@example.com>', { address: '"a\\"b>c"@example.com', local: 'a"b>c', domain: 'example.com', route: [] }],
    ['MAIL FROM:<user@[192.0.2.1]>', { address: 'user@[192.0.2.1]', local: 'user', domain: '[192.0.2.1]', route: [] }],
    ['MAIL FROM:<user@[IPv6:2001:db8::1]>', { address: 'user@[IPv6:2001:db8::1]', local: 'user', domain: '[IPv6:2001:db8::1]', route: [] }],
    ['RCPT TO:<@relay1.example,@relay2.example:user@example.com>', { address: 'user@example.com', local: 'user', domain: 'example.com', route: ['relay1.example', 'relay2.example'] }],
    ['RCPT TO:<Postmaster>', { address: 'Postmaster', local: 'Postmaster', domain: '', route: [] }],
    ['RCPT TO:<postmaster>', { address: 'Postmaster', local: 'Postmaster', domain: '', route: [] }],
    ['RCPT TO:<postmaster@example.com>', { address: 'postmaster@example.com', local: 'postmaster', domain: 'example.com', route: [] }],
    ['MAIL FROM: <user@example.com>', { address: 'user@example.com', local: 'user', domain: 'example.com', route: [] }],
    ['mail from:<USER@EXAMPLE.COM>', { address: 'USER@EXAMPLE.COM', local: 'USER', domain: 'EXAMPLE.COM', route: [] }],
    ['RCPT TO:<nobody-1@sinkhole.test>', { address: 'nobody-1@sinkhole.test', local: 'nobody-1', domain: 'sinkhole.test', route: [] }],
    ['MAIL FROM:<用户@例子.广告>', { address: '用户@例子.广告', local: '用户', domain: '例子.广告', route: [] }],
  ])('%s', (line, expected) => {
    expect(mailbox(line)).toEqual(expected);
  });

  it.each([
    ['MAIL FROM:user@example.com', '501 5.1.7'],
    ['MAIL FROM:<user@example.com', '501 5.1.7'],
    ['MAIL <user@example.com>', '501 5.1.7'],
    ['MAIL TO:<user@example.com>', '501 5.1.7'],
    ['MAIL', '501 5.1.7'],
    ['MAIL FROM:<@example.com>', '501 5.1.7'],
    ['MAIL FROM:<user@>', '501 5.1.7'],
    ['MAIL FROM:<user>', '501 5.1.7'],
    ['MAIL FROM:<Postmaster>', '501 5.1.7'],
    ['MAIL FROM:<us er@example.com>', '501 5.1.7'],
    ['MAIL FROM:<user@exa mple.com>', '501 5.1.7'],
    ['MAIL FROM:<.user@example.com>', '501 5.1.7'],
    ['MAIL FROM:<user.@example.com>', '501 5.1.7'],
    ['MAIL FROM:<us..er@example.com>', '501 5.1.7'],
    ['MAIL FROM:<user@-example.com>', '501 5.1.7'],
    ['MAIL FROM:<user@example..com>', '501 5.1.7'],
    ['MAIL FROM:<user@example.com.>', '501 5.1.7'],
    ['MAIL FROM:<user@[999.1.1.1]>', '501 5.1.7'],
    ['MAIL FROM:<user@[IPv6:zz::1]>', '501 5.1.7'],
    ['MAIL FROM:<"unterminated@example.com>', '501 5.1.7'],
    ['MAIL FROM:<a@b@c>', '501 5.1.7'],
    ['RCPT TO:<>', '501 5.1.3'],
    ['RCPT TO:user@example.com', '501 5.1.3'],
    ['RCPT TO:<user@example.com', '501 5.1.3'],
    ['RCPT FROM:<user@example.com>', '501 5.1.3'],
    ['RCPT TO:<@example.com>', '501 5.1.3'],
    ['RCPT TO:<@relay user@example.com>', '501 5.1.3'],
    ['MAIL FROM:<user@example.com>SIZE=10', '501 5.5.4'],
    ['MAIL FROM:<user@example.com> SIZE=', '501 5.5.4'],
    ['MAIL FROM:<user@example.com> =1', '501 5.5.4'],
    ['MAIL FROM:<user@example.com> SIZE=1 SIZE=2', '501 5.5.4'],
  ])('%s → %s', (line, expected) => {
    expect(replyOf(line)).toBe(expected);
  });

  it('parses ESMTP parameters, keywords upper-cased', () => {
    const c = parse('MAIL FROM:<a@b.c> size=100 BODY=8BITMIME SMTPUTF8');
    expect(c.verb === 'MAIL' && Object.fromEntries(c.params)).toEqual({ SIZE: '100', BODY: '8BITMIME', SMTPUTF8: true });
  });

  it('rejects control characters and invalid UTF-8 in arguments', () => {
    expect(replyOf('MAIL FROM:<a\u0000b@c.d>')).toBe('501 5.1.7');
    const badUtf8 = Buffer.concat([Buffer.from('RCPT TO:<'), Buffer.from([0xc3, 0x28]), Buffer.from('@x.y>')]);
    const c = parseCommand(badUtf8);
    expect(c.verb === 'INVALID' && c.reply.code).toBe(501);
  });

  it('property: a line given as a range of a larger buffer parses as the line alone (no byte outside is read)', () => {
    const around = fc.uint8Array({ maxLength: 8 }).map((b) => Buffer.concat([Buffer.from(b), Buffer.from('> @:<')]));
    const line = fc.oneof(
      fc.uint8Array({ maxLength: 60 }).map((b) => Buffer.from(b)),
      fc.tuple(fc.constantFrom('MAIL FROM:<a@b', 'RCPT TO:<x', 'MAIL FROM:', 'EHLO', 'DATA', 'BDAT 5', 'MAIL', 'RCPT TO:<a.b@c.d'), fc.string({ maxLength: 12 })).map(([h, t]) => Buffer.from(h + t)),
      fc.constantFrom('DATA', 'DATA  ', 'QUIT ', 'EHLO ', 'EHLO x ', 'MAIL FROM:<a@b.c>', 'RCPT TO:<a@b.c>', 'RCPT TO:<a@b', 'MAIL FROM:<a', 'NOOP').map((t) => Buffer.from(t)),
    );
    fc.assert(
      fc.property(around, line, around, (before, bytes, after) => {
        const whole = Buffer.concat([before, bytes, after]);
        expect(parseCommand(whole, before.length, before.length + bytes.length)).toEqual(parseCommand(Buffer.from(bytes)));
      }),
      { numRuns: 3000 },
    );
  });

  it('property: never throws on arbitrary bytes and always yields a known shape', () => {
    const verbs = ['EHLO', 'HELO', 'MAIL', 'RCPT', 'DATA', 'RSET', 'NOOP', 'QUIT', 'VRFY', 'HELP', 'NOT_IMPLEMENTED', 'HTTP', 'UNKNOWN', 'INVALID'];
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
        expect(verbs).toContain(parseCommand(Buffer.from(data)).verb);
      }),
      { numRuns: 2000 },
    );
    const prefixed = fc.tuple(fc.constantFrom('MAIL FROM:', 'RCPT TO:', 'EHLO ', 'mail from:<'), fc.string({ maxLength: 80 }));
    fc.assert(
      fc.property(prefixed, ([head, tail]) => {
        expect(verbs).toContain(parse(head + tail).verb);
      }),
      { numRuns: 2000 },
    );
  });
});
