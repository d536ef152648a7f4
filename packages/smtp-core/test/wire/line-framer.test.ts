import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { split } from '../support/split.js';
import { LINE_TOO_LONG, LineFramer, type FramedLine } from '../../src/wire/line-framer.js';

function frame(chunks: readonly (string | Buffer)[], maxLineLength = 512): (string | typeof LINE_TOO_LONG)[] {
  const framer = new LineFramer({ maxLineLength });
  const out: (string | typeof LINE_TOO_LONG)[] = [];
  for (const chunk of chunks) {
    framer.push(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk);
    let line: FramedLine | null;
    while ((line = framer.next()) !== null) out.push(line === LINE_TOO_LONG ? line : line.toString('latin1'));
  }
  return out;
}

describe('LineFramer', () => {
  it.each([
    ['one line', ['NOOP\r\n'], ['NOOP']],
    ['two lines in one chunk', ['NOOP\r\nQUIT\r\n'], ['NOOP', 'QUIT']],
    ['a line split across chunks', ['NO', 'OP\r', '\n'], ['NOOP']],
    ['CRLF split between chunks', ['NOOP\r', '\nQUIT\r\n'], ['NOOP', 'QUIT']],
    ['an empty line', ['\r\n'], ['']],
    ['a bare LF is data, not an end of line', ['NOOP\nQUIT\r\n'], ['NOOP\nQUIT']],
    ['a bare CR is data', ['NO\rOP\r\n'], ['NO\rOP']],
    ['LF at a chunk start without CR before it', ['NOOP', '\nX\r\n'], ['NOOP\nX']],
    ['an incomplete line waits', ['NOOP'], []],
    ['CR CR LF keeps the first CR', ['A\r\r\n'], ['A\r']],
  ])('%s', (_name, chunks, expected) => {
    expect(frame(chunks)).toEqual(expected);
  });

  it('accepts a line of exactly the limit (CRLF included) and refuses one byte more', () => {
    const max = 512;
    const fits = 'A'.repeat(max - 2);
    expect(frame([`${fits}\r\n`], max)).toEqual([fits]);
    expect(frame([`${fits}B\r\nNOOP\r\n`], max)).toEqual([LINE_TOO_LONG, 'NOOP']);
  });

  it('drops an over-long line to its CRLF and stays in sync, whatever the chunking', () => {
    const long = 'X'.repeat(5000);
    expect(frame([`${long}\r\nNOOP\r\n`])).toEqual([LINE_TOO_LONG, 'NOOP']);
    expect(frame([...long.match(/.{1,700}/g)!, '\r', '\nNOOP\r\n'])).toEqual([LINE_TOO_LONG, 'NOOP']);
  });

  it('never holds more than the limit while a long line arrives', () => {
    const framer = new LineFramer({ maxLineLength: 1000 });
    const chunk = Buffer.from('A'.repeat(100));
    let maxHeld = 0;
    for (let i = 0; i < 10_000; i++) {
      framer.push(chunk);
      if (framer.next() !== null) throw new Error('no line expected');
      maxHeld = Math.max(maxHeld, framer.bufferedBytes);
    }
    expect(maxHeld).toBeLessThanOrEqual(1000);
    framer.push(Buffer.from('\r\nQUIT\r\n'));
    expect(framer.next()).toBe(LINE_TOO_LONG);
    expect(framer.next()?.toString()).toBe('QUIT');
  });

  it('a line over the limit made of bare LFs is still refused', () => {
    expect(frame([`${'A\n'.repeat(400)}\r\nNOOP\r\n`])).toEqual([LINE_TOO_LONG, 'NOOP']);
  });

  it('one byte at a time costs linear work (each byte is scanned once)', () => {
    const framer = new LineFramer({ maxLineLength: 4096 });
    const line = Buffer.from(`${'a'.repeat(4000)}\r\n`);
    let lines = 0;
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < line.length; i++) {
        framer.push(line.subarray(i, i + 1));
        while (framer.next() !== null) lines++;
      }
    }
    expect(lines).toBe(20);
    expect(framer.scannedBytes).toBe(20 * line.length);
  });

  it('a long line without CRLF, one byte at a time, is scanned once and dropped', () => {
    const framer = new LineFramer({ maxLineLength: 4096 });
    const byte = Buffer.from('x');
    let lines = 0;
    for (let i = 0; i < 100_000; i++) {
      framer.push(byte);
      if (framer.next() !== null) lines++;
    }
    expect(lines).toBe(0);
    expect(framer.scannedBytes).toBe(100_000);
    expect(framer.bufferedBytes).toBe(0);
  });

  it('takeRest returns the unread bytes after a line', () => {
    const framer = new LineFramer({ maxLineLength: 512 });
    framer.push(Buffer.from('DATA\r\nSubject: x\r\n'));
    expect(framer.next()?.toString()).toBe('DATA');
    expect(framer.takeRest()?.toString()).toBe('Subject: x\r\n');
    expect(framer.isEmpty).toBe(true);
    expect(framer.takeRest()).toBeNull();
  });

  it('refuses a push before the previous chunk is consumed', () => {
    const framer = new LineFramer({ maxLineLength: 512 });
    framer.push(Buffer.from('A\r\nB\r\n'));
    framer.next();
    expect(() => framer.push(Buffer.from('C'))).toThrow();
  });

  it('property: any chunking of a stream yields the same lines', () => {
    const lineArb = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\r', '\n', '.', 'Z'), maxLength: 40 });
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 20 }), fc.array(fc.nat({ max: 50 }), { maxLength: 30 }), (pieces, cuts) => {
        const stream = Buffer.from(pieces.join('\r\n'), 'latin1');
        const whole = frame([stream], 64);
        expect(frame(split(stream, cuts), 64)).toEqual(whole);
      }),
      { numRuns: 500 },
    );
  });

  it('property: never throws and never returns a line containing CRLF, on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 20 }), fc.integer({ min: 512, max: 2048 }), (chunks, max) => {
        for (const line of frame(chunks.map((c) => Buffer.from(c)), max)) {
          if (line !== LINE_TOO_LONG) {
            expect(line.includes('\r\n')).toBe(false);
            expect(line.length + 2).toBeLessThanOrEqual(max);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

