import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataDecoder } from '../../src/wire/data-decoder.js';
import { split } from '../support/split.js';

interface Decoded {
  body: string;
  /** Offset in the whole stream just after the terminator, or -1. */
  end: number;
  size: number;
  overflowed: boolean;
}

function decode(chunks: readonly Buffer[], maxBytes = 1 << 20): Decoded {
  const pieces: Buffer[] = [];
  const decoder = new DataDecoder({ maxBytes, onBody: (piece) => pieces.push(Buffer.from(piece)) });
  let offset = 0;
  let end = -1;
  for (const chunk of chunks) {
    const at = decoder.push(chunk);
    if (at !== -1) {
      end = offset + at;
      break;
    }
    offset += chunk.length;
  }
  return { body: Buffer.concat(pieces).toString('latin1'), end, size: decoder.size, overflowed: decoder.overflowed };
}

const bytes = (s: string): Buffer => Buffer.from(s, 'latin1');

/** RFC 5321 §4.5.2 transparency: a line that starts with "." gets one more ".". */
export function dotStuff(body: string): string {
  return body.replace(/(^|\r\n)\./g, '$1..');
}

describe('DataDecoder', () => {
  it('ends at CRLF.CRLF and keeps the final CRLF in the body', () => {
    const r = decode([bytes('Subject: x\r\n\r\nhello\r\n.\r\nQUIT\r\n')]);
    expect(r.body).toBe('Subject: x\r\n\r\nhello\r\n');
    expect(r.end).toBe('Subject: x\r\n\r\nhello\r\n.\r\n'.length);
  });

  it('an empty body ends at the first ".CRLF"', () => {
    expect(decode([bytes('.\r\nNOOP\r\n')])).toMatchObject({ body: '', end: 3 });
  });

  it('removes one leading dot per line', () => {
    expect(decode([bytes('..one\r\n...two\r\n.three\r\nfour.\r\n.\r\n')]).body).toBe('.one\r\n..two\r\nthree\r\nfour.\r\n');
  });

  it.each([
    ['<LF>.<LF>', 'a\n.\nMAIL FROM:<x@y>\r\n'],
    ['<CR>.<CR>', 'a\r.\rMAIL FROM:<x@y>\r\n'],
    ['<LF>.<CRLF>', 'a\n.\r\nMAIL FROM:<x@y>\r\n'],
    ['<CRLF>.<LF>', 'a\r\n.\nMAIL FROM:<x@y>\r\n'],
    ['<CR>.<CRLF>', 'a\r.\r\nMAIL FROM:<x@y>\r\n'],
    ['<CRLF>.<CR>', 'a\r\n.\rMAIL FROM:<x@y>\r\n'],
  ])('SMTP smuggling: %s does not end the body', (_name, input) => {
    const r = decode([bytes(input)]);
    expect(r.end).toBe(-1);
    expect(r.body).toContain('MAIL FROM:<x@y>');
  });

  it('handles the terminator split at every position', () => {
    const stream = bytes('line\r\n.\r\nNEXT');
    for (let cut = 1; cut < stream.length; cut++) {
      const r = decode([stream.subarray(0, cut), stream.subarray(cut)]);
      expect(r).toMatchObject({ body: 'line\r\n', end: 9 });
    }
  });

  it('counts bytes past the limit, drops them, and still finds the terminator', () => {
    const r = decode([bytes(`${'x'.repeat(100)}\r\n`), bytes(`${'y'.repeat(100)}\r\n.\r\n`)], 50);
    expect(r.overflowed).toBe(true);
    expect(r.body).toBe('x'.repeat(50));
    expect(r.size).toBe(204);
    expect(r.end).toBe(102 + 105);
  });

  it('a body of exactly the limit is not an overflow', () => {
    expect(decode([bytes('abc\r\n.\r\n')], 5)).toMatchObject({ overflowed: false, size: 5 });
    expect(decode([bytes('abcd\r\n.\r\n')], 5)).toMatchObject({ overflowed: true, size: 6 });
  });

  it('hands out views of the input, not copies, for plain text', () => {
    const chunk = bytes('hello world\r\n.\r\n');
    const seen: Buffer[] = [];
    new DataDecoder({ maxBytes: 100, onBody: (p) => seen.push(p) }).push(chunk);
    expect(seen[0]?.buffer).toBe(chunk.buffer);
  });

  it('property: dot-stuffing round-trips any body, whatever the chunking', () => {
    const unit = fc.constantFrom('a', '.', '\r', '\n', '\r\n', '\r\n.', ' ', 'Z', '\u00e9');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 200 }), fc.array(fc.nat({ max: 20 }), { maxLength: 20 }), (text, cuts) => {
        // A body on the wire always ends with CRLF before the terminator.
        const body = text.endsWith('\r\n') || text === '' ? text : `${text}\r\n`;
        const wire = bytes(`${dotStuff(body)}.\r\nAFTER`);
        const r = decode(split(wire, cuts));
        expect(r.body).toBe(body);
        expect(wire.subarray(r.end).toString('latin1')).toBe('AFTER');
      }),
      { numRuns: 1000 },
    );
  });

  it('property: never throws on arbitrary bytes and never ends anywhere but after CRLF.CRLF', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 100 }), { maxLength: 10 }), (arrays) => {
        const chunks = arrays.map((a) => Buffer.from(a));
        const stream = Buffer.concat(chunks);
        const r = decode(chunks);
        if (r.end !== -1) {
          const before = Buffer.concat([bytes('\r\n'), stream]).subarray(0, r.end + 2);
          expect(before.subarray(before.length - 5).toString('latin1')).toBe('\r\n.\r\n');
        } else {
          expect(Buffer.concat([bytes('\r\n'), stream]).includes(bytes('\r\n.\r\n'))).toBe(false);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
