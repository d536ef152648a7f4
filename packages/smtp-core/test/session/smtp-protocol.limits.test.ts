import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reply } from '../../src/protocol/replies.js';
import { ProtocolHarness, transcript } from '../support/protocol-harness.js';
import { split } from '../support/split.js';

const OPEN = 'EHLO c\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\n';

describe('SmtpProtocol: limits', () => {
  it('maxLineLength: a longer line gets 500 5.5.2 and the session stays in sync', () => {
    const h = new ProtocolHarness({ limits: { maxLineLength: 512 } }).send(`EHLO c\r\nNOOP ${'x'.repeat(600)}\r\nNOOP\r\n`);
    expect(h.replies.slice(-2)).toEqual(['500 5.5.2 Line too long', '250 2.0.0 OK']);
    expect(h.events.some((e) => e.type === 'limit' && e.limit === 'maxLineLength')).toBe(true);
  });

  it('maxLineLength: a 4 MiB line without CRLF is never buffered', () => {
    const h = new ProtocolHarness();
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    for (let i = 0; i < 64; i++) h.send(chunk);
    h.send('\r\nNOOP\r\n');
    expect(h.replies.slice(-2)).toEqual(['500 5.5.2 Line too long', '250 2.0.0 OK']);
  });

  it('maxMessageSize: a bigger body is drained to its end and answered 552 5.3.4', () => {
    const h = new ProtocolHarness({ limits: { maxMessageSize: 1000 } });
    h.send(`${OPEN}DATA\r\n`);
    for (let i = 0; i < 100; i++) h.send(`${'y'.repeat(98)}\r\n`);
    h.send('.\r\nNOOP\r\n');
    expect(h.replies.slice(-2)).toEqual(['552 5.3.4 Message size exceeds fixed maximum message size', '250 2.0.0 OK']);
    expect(h.session.messagesAccepted).toBe(0);
    // The transaction is over: a new MAIL is fine.
    h.send('MAIL FROM:<a@b.c>\r\n');
    expect(h.codes.at(-1)).toBe(250);
  });

  it('maxMessageSize: the policy is not asked about an oversized message', () => {
    let asked = false;
    const h = new ProtocolHarness({ limits: { maxMessageSize: 10 }, policy: { onDataEnd: () => void (asked = true) } });
    h.send(`${OPEN}DATA\r\n${'z'.repeat(20)}\r\n.\r\n`);
    expect(asked).toBe(false);
    expect(h.codes.at(-1)).toBe(552);
  });

  it('maxRecipients: recipients past the limit get 452 4.5.3; the message still goes', () => {
    const rcpts = Array.from({ length: 5 }, (_, i) => `RCPT TO:<r${i}@e.f>\r\n`).join('');
    const h = new ProtocolHarness({ limits: { maxRecipients: 3 } }).send(`EHLO c\r\nMAIL FROM:<a@b.c>\r\n${rcpts}DATA\r\n.\r\n`);
    expect(h.codes).toEqual([220, 250, 250, 250, 250, 250, 452, 452, 354, 250]);
  });

  it('maxProtocolErrors: one error too many gets 421 4.7.0 and a close', () => {
    const h = new ProtocolHarness({ limits: { maxProtocolErrors: 3 } }).send('FOO\r\nBAR\r\nBAZ\r\nQUX\r\nNOOP\r\n');
    expect(h.codes).toEqual([220, 500, 500, 500, 421]);
    expect(h.endReason).toBe('reply-421');
  });

  it('maxHeaderBytes: headers are cut at the cap and flagged', () => {
    let seen: { headers: string | undefined; truncated: boolean } | undefined;
    new ProtocolHarness({
      limits: { maxHeaderBytes: 16 },
      policy: { captureHeaders: true, onDataEnd: (m) => void (seen = { headers: m.headers?.toString(), truncated: m.headersTruncated }) },
    }).send(`${OPEN}DATA\r\nSubject: a long subject line\r\n\r\nbody\r\n.\r\n`);
    expect(seen).toEqual({ headers: 'Subject: a long ', truncated: true });
  });

  it('maxOutputBufferBytes: a client that does not read stops being read (bounded replies in memory)', () => {
    let blocked = false;
    const h = new ProtocolHarness({ limits: { maxOutputBufferBytes: 1024 }, writeBlocked: () => blocked });
    blocked = true;
    h.send('HELP\r\n'.repeat(10_000));
    // The first flush hit a full transport: reading paused after about one buffer of replies.
    expect(h.paused).toBe(true);
    const written = Buffer.concat(h.writes).length;
    expect(written).toBeLessThan(3 * 1024);
    blocked = false;
    h.protocol.writable();
    expect(h.codes.filter((c) => c === 214)).toHaveLength(10_000);
    expect(h.paused).toBe(false);
  });

  it('idle timeout: 421 4.4.2 and a close', () => {
    const h = new ProtocolHarness().send('EHLO c\r\n');
    h.protocol.timeout();
    expect(h.replies.at(-1)).toBe('421 4.4.2 Timeout exceeded, closing connection');
    expect(h.endReason).toBe('idle-timeout');
  });
});

describe('SmtpProtocol: shutdown', () => {
  it('a session waiting for a command gets 421 4.3.2 at once', () => {
    const h = new ProtocolHarness().send(`${OPEN}`);
    h.protocol.shutdown();
    expect(h.replies.at(-1)).toBe('421 4.3.2 Service shutting down, closing connection');
    expect(h.endReason).toBe('shutdown');
  });

  it('a session inside DATA finishes the message, gets its 250, then 421', () => {
    const h = new ProtocolHarness().send(`${OPEN}DATA\r\npart one\r\n`);
    h.protocol.shutdown();
    expect(h.endReason).toBeUndefined();
    h.send('part two\r\n.\r\nMAIL FROM:<x@y.z>\r\n');
    expect(h.codes.slice(-2)).toEqual([250, 421]);
    expect(h.session.messagesAccepted).toBe(1);
  });

  it('a session awaiting a hook gets that reply, then 421', async () => {
    let release: () => void = () => {};
    const h = new ProtocolHarness({ policy: { onRcptTo: () => new Promise((resolve) => (release = () => resolve(reply(250, '2.1.5', 'later')))) } });
    h.send(OPEN);
    h.protocol.shutdown();
    release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(h.replies.slice(-2)).toEqual(['250 2.1.5 later', '421 4.3.2 Service shutting down, closing connection']);
  });
});

describe('SmtpProtocol: chunking', () => {
  const SESSION = [
    'EHLO client.example\r\n',
    'MAIL FROM:<sender@example.com> BODY=8BITMIME\r\n',
    'RCPT TO:<one@example.net>\r\n',
    'RCPT TO:<bad>\r\n',
    'RCPT TO:<two@example.net>\r\n',
    'DATA\r\n',
    'Subject: test\r\n\r\n..leading dot\r\nbare\nlf and bare\rcr\r\n.\nnot the end\r\n.\r\n',
    `NOOP ${'x'.repeat(600)}\r\n`,
    'FOO\r\n',
    'RSET\r\n',
    'MAIL FROM:<>\r\nRCPT TO:<Postmaster>\r\nDATA\r\n.\r\n',
    'QUIT\r\n',
  ].join('');

  it('property: any split of the byte stream gives the same transcript', () => {
    const stream = Buffer.from(SESSION, 'latin1');
    const options = { limits: { maxLineLength: 512 } };
    const whole = transcript(stream, options);
    expect(whole).toContain('221 2.0.0 Bye');
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 40 }), (cuts) => {
        expect(transcript(split(stream, cuts), options)).toBe(whole);
      }),
      { numRuns: 500 },
    );
  });

  it('one byte at a time gives the same transcript', () => {
    const stream = Buffer.from(SESSION, 'latin1');
    expect(transcript(split(stream, [1]), { limits: { maxLineLength: 512 } })).toBe(transcript(stream, { limits: { maxLineLength: 512 } }));
  });
});
