import { describe, expect, it } from 'vitest';
import type { SessionPolicy } from '../../src/policy.js';
import { reply } from '../../src/protocol/replies.js';
import { ManualClock, ProtocolHarness } from '../support/protocol-harness.js';

const TRANSACTION = 'EHLO c\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nDATA\r\nSubject: s\r\n\r\nbody\r\n.\r\n';
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('SmtpProtocol: policy hooks', () => {
  it('hooks receive the parsed values and their replies are sent', () => {
    const seen: string[] = [];
    const policy: SessionPolicy = {
      onHelo: (domain) => void seen.push(`helo ${domain}`),
      onMailFrom: (from, params) => void seen.push(`mail ${from.address} ${[...params.keys()].join(',')}`),
      onRcptTo: (to) => {
        seen.push(`rcpt ${to.address}`);
        return to.localPart === 'no' ? reply(550, '5.1.1', 'User unknown') : undefined;
      },
      onDataStart: (envelope) => void seen.push(`data ${envelope.recipients.map((r) => r.address).join(',')}`),
      onDataEnd: (message, envelope) => {
        seen.push(`end ${message.size} ${envelope.reversePath.address}`);
        return reply(250, '2.0.0', 'queued as X');
      },
    };
    const h = new ProtocolHarness({ policy }).send('EHLO c\r\nMAIL FROM:<a@b.c> BODY=8BITMIME\r\nRCPT TO:<no@e.f>\r\nRCPT TO:<d@e.f>\r\nDATA\r\nhello\r\n.\r\n');
    expect(seen).toEqual(['helo c', 'mail a@b.c BODY', 'rcpt no@e.f', 'rcpt d@e.f', 'data d@e.f', 'end 7 a@b.c']);
    expect(h.replies.slice(-4)).toEqual(['550 5.1.1 User unknown', '250 2.1.5 OK', '354 End data with <CR><LF>.<CR><LF>', '250 2.0.0 queued as X']);
    expect(h.session.messagesAccepted).toBe(1);
  });

  it('async hooks pause reading, then the pipelined commands continue in order', async () => {
    let release: () => void = () => {};
    const h = new ProtocolHarness({
      policy: { onMailFrom: () => new Promise<undefined>((resolve) => (release = () => resolve(undefined))) },
    });
    h.send('EHLO c\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nNOOP\r\n');
    expect(h.codes).toEqual([220, 250]);
    expect(h.paused).toBe(true);
    h.send('QUIT\r\n');
    release();
    await tick();
    expect(h.codes).toEqual([220, 250, 250, 250, 250, 221]);
  });

  it.each([
    ['throws', (): never => { throw new Error('boom'); }],
    ['rejects', (): Promise<never> => Promise.reject(new Error('boom'))],
    ['returns a malformed reply', () => ({ code: 250, enhanced: '5.0.0', lines: ['x'] })],
    ['returns a 3xx for RCPT', () => ({ code: 354, enhanced: undefined, lines: ['x'] })],
    ['returns a non-reply', () => 42 as never],
  ])('a hook that %s is answered 451 4.3.0 and reported', async (_name, onRcptTo) => {
    const policy = { onRcptTo } as unknown as SessionPolicy;
    const h = new ProtocolHarness({ policy });
    h.send('EHLO c\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nNOOP\r\n');
    await tick();
    expect(h.replies.slice(-2)).toEqual(['451 4.3.0 Temporary local problem, try again later', '250 2.0.0 OK']);
    expect(h.events.filter((e) => e.type === 'hook-error').map((e) => e.type === 'hook-error' && e.hook)).toEqual(['rcpt']);
  });

  it('a hook that never settles is answered 451 after hookTimeoutMs, and a late answer is ignored', async () => {
    const clock = new ManualClock();
    let late: (r: unknown) => void = () => {};
    const h = new ProtocolHarness({ clock, limits: { hookTimeoutMs: 5000 }, policy: { onMailFrom: () => new Promise((resolve) => (late = resolve)) as never } });
    h.send('EHLO c\r\nMAIL FROM:<a@b.c>\r\n');
    clock.advance(4999);
    expect(h.codes).toEqual([220, 250]);
    clock.advance(1);
    expect(h.replies.at(-1)).toMatch(/^451 4\.3\.0 /);
    expect(h.events.some((e) => e.type === 'hook-timeout' && e.hook === 'mail' && e.timeoutMs === 5000)).toBe(true);
    late(reply(250, '2.1.0', 'late'));
    await tick();
    h.send('NOOP\r\n');
    expect(h.codes).toEqual([220, 250, 451, 250]);
  });

  it('a greeting hook that fails is answered 421 4.3.0 and closes', () => {
    const h = new ProtocolHarness({ policy: { onConnect: () => { throw new Error('x'); } } });
    expect(h.replies).toEqual(['421 4.3.0 Temporary local problem, closing connection']);
    expect(h.endReason).toBe('reply-421');
  });

  it('a policy factory that rejects is answered 421 4.3.0 and closes', async () => {
    const h = new ProtocolHarness({ policy: Promise.reject(new Error('no policy')) });
    await tick();
    expect(h.replies).toEqual(['421 4.3.0 Temporary local problem, closing connection']);
    expect(h.events.some((e) => e.type === 'hook-error' && e.hook === 'factory')).toBe(true);
  });

  it('an async factory delays the greeting', async () => {
    const h = new ProtocolHarness({ policy: Promise.resolve({ onConnect: () => reply(220, null, 'custom greeting') }) });
    expect(h.codes).toEqual([]);
    await tick();
    expect(h.lines).toEqual(['220 custom greeting']);
  });

  it('onConnect 554 refuses service: 503 to everything but QUIT (RFC 5321 §3.1)', () => {
    const h = new ProtocolHarness({ policy: { onConnect: () => reply(554, '5.7.1', 'No service') } });
    h.send('EHLO c\r\nMAIL FROM:<a@b.c>\r\nQUIT\r\n');
    expect(h.codes).toEqual([554, 503, 503, 221]);
  });

  it('a 421 from any hook is sent, then the session closes and pipelined input is dropped', () => {
    const h = new ProtocolHarness({ policy: { onRcptTo: () => reply(421, '4.3.2', 'Service temporarily unavailable') } });
    h.send('EHLO c\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nDATA\r\nbody\r\n.\r\nQUIT\r\n');
    expect(h.replies.at(-1)).toBe('421 4.3.2 Service temporarily unavailable');
    expect(h.codes).toEqual([220, 250, 250, 421]);
    expect(h.endReason).toBe('reply-421');
  });

  it('EHLO hook with a 2xx keeps the extension list after its text', () => {
    const h = new ProtocolHarness({ policy: { onHelo: () => reply(250, null, 'hello there') } }).send('EHLO c\r\n');
    expect(h.lines.slice(1, 3)).toEqual(['250-hello there', '250-PIPELINING']);
  });

  it('onDataChunk streams the body in pieces, unstuffed, and nothing is buffered whole', () => {
    const pieces: string[] = [];
    const h = new ProtocolHarness({ policy: { onDataChunk: (chunk) => void pieces.push(chunk.toString()) } });
    h.send('EHLO c\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nDATA\r\n', 'line1\r\n..dotted\r\n', 'line3\r\n', '.\r\n');
    expect(pieces.join('')).toBe('line1\r\n.dotted\r\nline3\r\n');
    expect(pieces.length).toBeGreaterThan(1);
    expect(h.codes.at(-1)).toBe(250);
  });

  it('onDataChunk returning a promise pauses reading until it settles', async () => {
    let release: () => void = () => {};
    const h = new ProtocolHarness({ policy: { onDataChunk: () => new Promise<void>((resolve) => (release = resolve)) } });
    h.send('EHLO c\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nDATA\r\nchunk1\r\n');
    expect(h.paused).toBe(true);
    h.send('.\r\nNOOP\r\n');
    expect(h.codes.at(-1)).toBe(354);
    release();
    await tick();
    expect(h.codes.slice(-2)).toEqual([250, 250]);
  });

  it('a failing onDataChunk makes the end of data 451, and the session goes on', async () => {
    const h = new ProtocolHarness({ policy: { onDataChunk: () => { throw new Error('disk full'); } } });
    h.send(`${TRANSACTION}NOOP\r\n`);
    expect(h.replies.slice(-2)).toEqual(['451 4.3.0 Temporary local problem, try again later', '250 2.0.0 OK']);
    expect(h.session.messagesAccepted).toBe(0);
  });

  it('captureHeaders hands the header block, never the body, to onDataEnd', () => {
    let headers = '';
    new ProtocolHarness({
      policy: { captureHeaders: true, onDataEnd: (m) => void (headers = m.headers?.toString() ?? '') },
    }).send('EHLO c\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nDATA\r\nFrom: x\r\nSubject: y\r\n\r\nBODY-SECRET\r\n.\r\n');
    expect(headers).toBe('From: x\r\nSubject: y\r\n');
  });

  it('onClose still runs when the connection goes away before the policy factory settles', async () => {
    const reasons: string[] = [];
    let resolve: (p: SessionPolicy) => void = () => {};
    const h = new ProtocolHarness({ policy: new Promise<SessionPolicy>((r) => (resolve = r)) });
    h.protocol.destroyed('peer-closed');
    resolve({ onClose: (_s, reason) => void reasons.push(reason), onConnect: () => { throw new Error('must not greet'); } });
    await tick();
    expect(reasons).toEqual(['peer-closed']);
    expect(h.writes).toHaveLength(0);
  });

  it('onClose runs once with the reason, even if it throws', () => {
    const reasons: string[] = [];
    const h = new ProtocolHarness({ policy: { onClose: (_s, reason) => { reasons.push(reason); throw new Error('x'); } } });
    h.protocol.destroyed('peer-closed');
    h.protocol.destroyed('peer-closed');
    expect(reasons).toEqual(['peer-closed']);
    expect(h.events.some((e) => e.type === 'hook-error' && e.hook === 'close')).toBe(true);
  });
});
