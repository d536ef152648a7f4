import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../src/session/envelope.js';
import type { ReceivedMessage, SessionPolicy } from '../../src/policy.js';
import { reply } from '../../src/protocol/replies.js';
import { ProtocolHarness } from '../support/protocol-harness.js';
import { split } from '../support/split.js';

const HEAD = 'EHLO c\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\n';
const bdat = (body: string, last = false): string => `BDAT ${Buffer.byteLength(body, 'latin1')}${last ? ' LAST' : ''}\r\n${body}`;

interface Seen {
  body: Buffer[];
  ends: { message: ReceivedMessage; envelope: Envelope }[];
}

function recording(extra: SessionPolicy = {}): { policy: SessionPolicy; seen: Seen } {
  const seen: Seen = { body: [], ends: [] };
  const policy: SessionPolicy = {
    captureHeaders: true,
    ...extra,
    onDataChunk: (piece) => {
      seen.body.push(Buffer.from(piece));
    },
    onDataEnd: (message, envelope, session) => {
      seen.ends.push({ message, envelope: { ...envelope, chunks: envelope.chunks } });
      return extra.onDataEnd?.(message, envelope, session);
    },
  };
  return { policy, seen };
}

describe('SmtpProtocol: CHUNKING (RFC 3030)', () => {
  it('BDAT chunks, then LAST: 250 "n octets received" per chunk, the end-of-data reply after LAST', () => {
    const { policy, seen } = recording();
    const h = new ProtocolHarness({ policy }).send(HEAD, bdat('Subject: x\r\n\r\n'), bdat('.line\r\nQUIT\r\n'), bdat('end\r\n', true), 'QUIT\r\n');
    expect(h.replies.slice(4)).toEqual(['250 2.0.0 14 octets received', '250 2.0.0 13 octets received', '250 2.0.0 OK: message accepted', '221 2.0.0 Bye']);
    // Raw octets: no dot-unstuffing, and a command inside a chunk is body.
    expect(Buffer.concat(seen.body).toString()).toBe('Subject: x\r\n\r\n.line\r\nQUIT\r\nend\r\n');
    expect(seen.ends).toHaveLength(1);
    expect(seen.ends[0]?.message.size).toBe(32);
    expect(seen.ends[0]?.message.headers?.toString()).toBe('Subject: x\r\n');
    expect(seen.ends[0]?.envelope.chunks).toBe(3);
  });

  it('BDAT 0 LAST ends a message (empty, or after earlier chunks)', () => {
    const { policy, seen } = recording();
    const h = new ProtocolHarness({ policy }).send(HEAD, 'BDAT 0 LAST\r\n', 'MAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\n', bdat('abc'), 'BDAT 0 LAST\r\n');
    expect(h.codes.slice(4)).toEqual([250, 250, 250, 250, 250]);
    expect(seen.ends.map((e) => e.message.size)).toEqual([0, 3]);
  });

  it('the CHUNKING and BINARYMIME keywords follow the extension set; hidden CHUNKING makes BDAT 502', () => {
    const off = new ProtocolHarness({ extensions: { chunking: false } }).send(HEAD, 'BDAT 3 LAST\r\n');
    expect(off.lines).not.toContain('250-CHUNKING');
    expect(off.lines.some((l) => l.includes('BINARYMIME'))).toBe(false);
    expect(off.replies.at(-1)).toBe('502 5.5.1 Command not implemented');
    const noBinary = new ProtocolHarness({ extensions: { binaryMime: false } }).send('EHLO c\r\nMAIL FROM:<a@b.c> BODY=BINARYMIME\r\n');
    expect(noBinary.lines).toContain('250 CHUNKING');
    expect(noBinary.replies.at(-1)).toMatch(/^555 5\.5\.4 MAIL FROM parameter BODY=BINARYMIME/);
  });

  const table: [string, string[], number[]][] = [
    ['BDAT without MAIL: drained, 503', ['EHLO c', 'BDAT 4', 'QUIT'], [220, 250, 503, 221]],
    ['BDAT without RCPT: 503', ['EHLO c', 'MAIL FROM:<a@b.c>', 'BDAT 4 LAST', 'QUIT'], [220, 250, 250, 503, 221]],
    ['DATA after BDAT: 503, the transaction goes on', ['EHLO c', 'MAIL FROM:<a@b.c>', 'RCPT TO:<d@e.f>', 'BDAT 4', 'DATA', 'BDAT 0 LAST'], [220, 250, 250, 250, 250, 503, 250]],
    ['BODY=BINARYMIME then DATA: 503', ['EHLO c', 'MAIL FROM:<a@b.c> BODY=BINARYMIME', 'RCPT TO:<d@e.f>', 'DATA', 'BDAT 4 LAST'], [220, 250, 250, 250, 503, 250]],
    ['RSET drops the chunks so far', ['EHLO c', 'MAIL FROM:<a@b.c>', 'RCPT TO:<d@e.f>', 'BDAT 4', 'RSET', 'BDAT 4 LAST'], [220, 250, 250, 250, 250, 250, 503]],
    ['a syntax error: 501 and nothing is read', ['EHLO c', 'BDAT x', 'BDAT', 'NOOP'], [220, 250, 501, 501, 250]],
  ];
  it.each(table)('%s', (_name, lines, expected) => {
    // Every BDAT n line is followed by n octets "wxyz".slice(0, n), which must never be read as a command.
    const input = lines.map((line) => {
      const m = /^BDAT (\d+)/.exec(line);
      return `${line}\r\n${m === null ? '' : 'NOOP'.slice(0, Number(m[1]))}`;
    });
    expect(new ProtocolHarness().send(input.join('')).codes).toEqual(expected);
  });

  it('the size limit counts across chunks: the chunk that passes it is drained (never delivered) and answered 552; pipelined chunks after it are drained too', () => {
    const { policy, seen } = recording();
    const h = new ProtocolHarness({ policy, limits: { maxMessageSize: 10 } }).send(HEAD, bdat('123456'), bdat('7890X'), bdat('more', true), 'NOOP\r\n');
    expect(h.replies.slice(4)).toEqual(['250 2.0.0 6 octets received', '552 5.3.4 Message size exceeds fixed maximum message size', expect.stringMatching(/^503 5\.5\.1/), '250 2.0.0 OK']);
    expect(Buffer.concat(seen.body).toString()).toBe('123456');
    expect(seen.ends).toHaveLength(0);
    expect(h.events.some((e) => e.type === 'limit' && e.limit === 'maxMessageSize')).toBe(true);
  });

  it('a chunk announced far over the limit is drained as it arrives, across many TCP chunks', () => {
    const { policy, seen } = recording();
    const h = new ProtocolHarness({ policy, limits: { maxMessageSize: 1000 } }).send(HEAD, 'BDAT 1000000 LAST\r\n');
    const piece = Buffer.alloc(10_000, 0x41);
    for (let i = 0; i < 100; i++) h.send(piece);
    h.send('QUIT\r\n');
    expect(h.codes.slice(4)).toEqual([552, 221]);
    expect(seen.body).toHaveLength(0);
  });

  it('onDataStart is asked once, at the first chunk: a refusal drains that chunk and answers it; the transaction stays', () => {
    let asked = 0;
    const { policy, seen } = recording({ onDataStart: () => (++asked === 1 ? reply(451, '4.3.0', 'not now') : undefined) });
    const h = new ProtocolHarness({ policy }).send(HEAD, bdat('QUIT\r\n'), bdat('ab'), bdat('c', true));
    expect(h.replies.slice(4)).toEqual(['451 4.3.0 not now', '250 2.0.0 2 octets received', '250 2.0.0 OK: message accepted']);
    expect(asked).toBe(2);
    expect(Buffer.concat(seen.body).toString()).toBe('abc');
  });

  it('the end-of-data hook decides the LAST reply; a refusal at a 4xx keeps the session going', () => {
    const { policy } = recording({ onDataEnd: () => reply(452, '4.3.1', 'full') });
    const h = new ProtocolHarness({ policy }).send(HEAD, bdat('x', true), 'NOOP\r\n');
    expect(h.replies.slice(4)).toEqual(['452 4.3.1 full', '250 2.0.0 OK']);
  });

  it('an async body hook holds the chunk reply until it settles', async () => {
    let release: () => void = () => undefined;
    const h = new ProtocolHarness({
      policy: { onDataChunk: () => new Promise<void>((resolve) => (release = resolve)) },
    }).send(HEAD, bdat('abc'), bdat('d', true));
    expect(h.codes.slice(4)).toEqual([]);
    release();
    await new Promise((r) => setImmediate(r));
    release();
    await new Promise((r) => setImmediate(r));
    expect(h.codes.slice(4)).toEqual([250, 250]);
  });
});

/** DATA's wire form of `body`: dot-stuffed, ending CRLF.CRLF (the body ends with CRLF or is empty). */
function dotStuffed(body: string): string {
  return `${body.replace(/^\./gm, '..')}.\r\n`;
}

describe('BDAT property: any split into chunks, any TCP chunking, same body and reply as DATA', () => {
  const line = fc.stringMatching(/^[ -~]{0,20}$/);
  it('holds', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), fc.array(fc.nat(40), { maxLength: 6 }), fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 6 }), fc.boolean(), (lines, cuts, tcpCuts, refuse) => {
        const body = lines.map((l) => `${l}\r\n`).join('');
        const decision = refuse ? reply(550, '5.7.1', 'no') : undefined;
        const viaData = recording({ onDataEnd: () => decision });
        const data = new ProtocolHarness({ policy: viaData.policy }).send(`${HEAD}DATA\r\n${dotStuffed(body)}QUIT\r\n`);
        // Cut the body into chunks at the given sizes; the last chunk (maybe empty) carries LAST.
        const chunks: string[] = [];
        let pos = 0;
        for (const cut of cuts) {
          if (pos >= body.length) break;
          chunks.push(body.slice(pos, pos + cut));
          pos += cut;
        }
        const rest = body.slice(pos);
        const wire = `${HEAD}${chunks.map((c) => bdat(c)).join('')}${bdat(rest, true)}QUIT\r\n`;
        const viaBdat = recording({ onDataEnd: () => decision });
        const h = new ProtocolHarness({ policy: viaBdat.policy });
        for (const piece of split(Buffer.from(wire, 'latin1'), tcpCuts)) h.send(piece);
        expect(Buffer.concat(viaBdat.seen.body).toString('latin1')).toBe(body);
        expect(Buffer.concat(viaData.seen.body).toString('latin1')).toBe(body);
        expect(h.replies.at(-2)).toBe(data.replies.at(-2));
        expect(h.replies.at(-1)).toBe('221 2.0.0 Bye');
        expect(viaBdat.seen.ends[0]?.message.size).toBe(viaData.seen.ends[0]?.message.size);
        expect(viaBdat.seen.ends[0]?.message.headers?.toString('latin1')).toBe(viaData.seen.ends[0]?.message.headers?.toString('latin1'));
      }),
      { numRuns: 300 },
    );
  });
});
