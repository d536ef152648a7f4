import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { enhancedClassMatches, isEnhancedCode, reply, replyProblem } from '../../src/protocol/replies.js';
import { formatReply, ReplyEncoder } from '../../src/wire/reply-format.js';

// RFC 5321 §4.2: Reply-line = *( Reply-code "-" [ textstring ] CRLF ) Reply-code [ SP textstring ] CRLF
export const REPLY_RE = /^(?:([2-5][0-5][0-9])-[^\r\n]*\r\n)*([2-5][0-5][0-9])(?: [^\r\n]*)?\r\n$/;

describe('formatReply', () => {
  it('single line with and without the enhanced code', () => {
    const r = reply(250, '2.1.5', 'OK');
    expect(formatReply(r, true).toString()).toBe('250 2.1.5 OK\r\n');
    expect(formatReply(r, false).toString()).toBe('250 OK\r\n');
  });

  it('multi-line replies repeat the code and the enhanced code on every line', () => {
    expect(formatReply(reply(214, '2.0.0', ['a', 'b', 'c']), true).toString()).toBe('214-2.0.0 a\r\n214-2.0.0 b\r\n214 2.0.0 c\r\n');
  });

  it('3xx and greeting replies carry no enhanced code', () => {
    expect(formatReply(reply(354, null, 'go ahead'), true).toString()).toBe('354 go ahead\r\n');
  });

  it('ReplyEncoder reuses bytes for frozen replies', () => {
    const encoder = new ReplyEncoder(true);
    const r = reply(250, '2.0.0', 'OK');
    expect(encoder.encode(r)).toBe(encoder.encode(r));
  });

  it('property: every valid reply formats to RFC 5321 §4.2 syntax with one code', () => {
    const text = fc.string({ unit: fc.constantFrom('a', ' ', '-', '.', 'é', '0'), maxLength: 60 });
    fc.assert(
      fc.property(fc.constantFrom(211, 214, 220, 221, 250, 251, 252, 421, 450, 451, 452, 500, 501, 502, 503, 550, 552, 553, 554), fc.array(text, { minLength: 1, maxLength: 5 }), fc.boolean(), (code, lines, enhanced) => {
        const r = reply(code, `${Math.floor(code / 100) as 2 | 4 | 5}.0.0`, lines);
        const wire = formatReply(r, enhanced).toString('utf8');
        expect(wire).toMatch(REPLY_RE);
        expect(new Set(wire.split('\r\n').filter(Boolean).map((l) => l.slice(0, 3)))).toEqual(new Set([String(code)]));
      }),
    );
  });
});

describe('reply()', () => {
  it.each([
    [250, '4.0.0', 'OK', /class/],
    [450, '5.1.1', 'x', /class/],
    [199, null, 'x', /200..599/],
    [600, null, 'x', /200..599/],
    [260, null, 'x', /second digit/],
    [250, '2.0', 'x', /enhanced code/],
    [250, '2.01.0', 'x', /no leading zeros/],
    [250, '2.1.1000', 'x', /enhanced code/],
    [250, null, 'a\r\nb', /CR or LF/],
    [250, null, [], /at least one/],
  ] as const)('refuses %s %s %j', (code, enhanced, text, message) => {
    expect(() => reply(code, enhanced as never, text)).toThrow(message);
  });

  it('isEnhancedCode and enhancedClassMatches are the checks reply() makes', () => {
    expect(['2.0.0', '4.7.1', '5.999.0'].every((t) => isEnhancedCode(t))).toBe(true);
    expect(['3.0.0', '4.07.1', '4.7', 4, undefined, '4.7.1 '].some((t) => isEnhancedCode(t))).toBe(false);
    expect(enhancedClassMatches(452, '4.2.2')).toBe(true);
    expect(enhancedClassMatches(452, '5.2.2')).toBe(false);
  });

  it('replyProblem rejects non-objects and non-string lines', () => {
    expect(replyProblem(null)).toMatch(/object/);
    expect(replyProblem({ code: 250, lines: [1] })).toMatch(/strings/);
    expect(replyProblem({ code: 250, lines: ['x'], enhanced: undefined })).toBeUndefined();
  });
});
