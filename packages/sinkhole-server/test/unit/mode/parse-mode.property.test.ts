import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_REPLY_TEXT_LENGTH,
  RCPT_REPLY_CODES,
  SIMPLE_MODE_KINDS,
  formatMode,
  isMode,
  parseMode,
  type Mode,
} from '../../../src/index.js';
import type { EnhancedCode } from '@sinkhole/smtp-core';

const part = fc.integer({ min: 0, max: 999 });
const textChar = fc.constantFrom(...'\t !"#$%&()*+,-./0123456789:;<=>?@ABCXYZ[\\]^_`abcxyz{|}~'.split(''));
const replyText = fc
  .array(textChar, { minLength: 1, maxLength: MAX_REPLY_TEXT_LENGTH })
  .map((chars) => chars.join('').trim())
  .filter((text) => text.length > 0);

const validMode: fc.Arbitrary<Mode> = fc.oneof(
  fc.constantFrom(...SIMPLE_MODE_KINDS).map((kind): Mode => ({ kind })),
  fc.record({ code: fc.constantFrom(...RCPT_REPLY_CODES), subject: part, detail: part, text: replyText }).map(
    ({ code, subject, detail, text }): Mode => ({
      kind: 'reply',
      code,
      enhanced: `${String(code)[0]}.${subject}.${detail}` as EnhancedCode,
      text,
    }),
  ),
);

const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme-ascii', maxLength: 300 }),
  // Near misses: valid modes with characters inserted, removed or changed.
  fc.tuple(validMode, fc.nat(), fc.string({ maxLength: 3 })).map(([mode, at, insert]) => {
    const text = formatMode(mode);
    const cut = at % (text.length + 1);
    return text.slice(0, cut) + insert + text.slice(cut + 1);
  }),
);

describe('parseMode properties', () => {
  it('never throws, and answers either a valid Mode or an error with a code, a message and the input', () => {
    fc.assert(
      fc.property(anyString, (text) => {
        const result = parseMode(text);
        if (result.ok) {
          expect(isMode(result.mode)).toBe(true);
        } else {
          expect(result.error.code).toMatch(/^ERR_MODE_[A-Z_]+$/);
          expect(result.error.message).toContain('accepted:');
          expect(text.startsWith(result.error.input)).toBe(true);
        }
      }),
      { numRuns: 5_000 },
    );
  });

  it('round-trips every valid mode through formatMode', () => {
    fc.assert(
      fc.property(validMode, (mode) => {
        expect(parseMode(formatMode(mode))).toEqual({ ok: true, mode });
      }),
      { numRuns: 2_000 },
    );
  });

  it('ignores surrounding white space, a trailing newline and the case of the mode name', () => {
    const space = fc.string({ unit: fc.constantFrom(' ', '\t', '\r', '\n'), maxLength: 4 });
    fc.assert(
      fc.property(validMode, space, space, fc.boolean(), (mode, before, after, upper) => {
        const text = formatMode(mode);
        const colon = text.indexOf(':');
        const name = colon === -1 ? text : text.slice(0, colon);
        const cased = (upper ? name.toUpperCase() : name) + text.slice(name.length);
        expect(parseMode(`${before}${cased}${after}\n`)).toEqual({ ok: true, mode });
      }),
    );
  });

  it('formatMode of any parsed text parses back to the same mode', () => {
    fc.assert(
      fc.property(anyString, (text) => {
        const result = parseMode(text);
        if (result.ok) expect(parseMode(formatMode(result.mode))).toEqual(result);
      }),
      { numRuns: 2_000 },
    );
  });
});
