import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HeaderCapture } from '../../src/wire/header-capture.js';
import { split } from '../support/split.js';

function capture(chunks: readonly Buffer[], max = 1024): { headers: string | undefined; truncated: boolean } {
  const c = new HeaderCapture(max);
  for (const chunk of chunks) c.push(chunk);
  return { headers: c.result()?.toString('latin1'), truncated: c.truncated };
}

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

describe('HeaderCapture', () => {
  it('keeps the header lines and stops at the empty line', () => {
    expect(capture([b('From: a\r\nSubject: b\r\n\r\nBODY-TOKEN\r\n')])).toEqual({
      headers: 'From: a\r\nSubject: b\r\n',
      truncated: false,
    });
  });

  it('a message that starts with an empty line has no headers', () => {
    expect(capture([b('\r\nbody\r\n')]).headers).toBeUndefined();
  });

  it('a message with no empty line is all headers', () => {
    expect(capture([b('X: 1\r\nY: 2\r\n')]).headers).toBe('X: 1\r\nY: 2\r\n');
  });

  it('cuts at the cap and says so', () => {
    expect(capture([b(`X: ${'a'.repeat(100)}\r\n\r\nbody`)], 10)).toEqual({ headers: 'X: aaaaaaa', truncated: true });
  });

  it('a cap of zero keeps nothing', () => {
    expect(capture([b('X: 1\r\n\r\n')], 0)).toEqual({ headers: undefined, truncated: true });
  });

  it('property: any chunking finds the same header block, never a body byte', () => {
    const line = fc.stringMatching(/^[A-Za-z-]{1,10}: [ -~]{0,20}$/);
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), fc.array(fc.nat({ max: 7 }), { maxLength: 10 }), (lines, cuts) => {
        const head = lines.map((l) => `${l}\r\n`).join('');
        const message = b(`${head}\r\nSECRET-BODY\r\n\r\nmore\r\n`);
        const r = capture(split(message, cuts), 4096);
        expect(r.headers).toBe(head === '' ? undefined : head);
        expect(r.headers ?? '').not.toContain('SECRET-BODY');
      }),
      { numRuns: 500 },
    );
  });
});
