import { describe, expect, it } from 'vitest';
import {
  ACCEPTED_MODES_TEXT,
  MAX_ERROR_INPUT_LENGTH,
  MAX_MODE_TEXT_LENGTH,
  MAX_REPLY_TEXT_LENGTH,
  RCPT_REPLY_CODES,
  parseMode,
  type Mode,
  type ModeParseErrorCode,
} from '../../../src/index.js';

function modeOf(text: string): Mode {
  const result = parseMode(text);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(text)} to parse: ${result.error.message}`);
  return result.mode;
}

function errorOf(text: string): { code: ModeParseErrorCode; message: string; input: string } {
  const result = parseMode(text);
  if (result.ok) throw new Error(`expected ${JSON.stringify(text)} to be refused`);
  return result.error;
}

describe('parseMode: the one-word modes', () => {
  it.each([
    ['defer', 'defer'],
    ['bounce', 'bounce'],
    ['accept', 'accept'],
    ['accept-log', 'accept-log'],
    ['greylist', 'greylist'],
    ['DEFER', 'defer'],
    ['Accept-Log', 'accept-log'],
    ['  accept  ', 'accept'],
    ['accept\n', 'accept'],
    ['accept\r\n', 'accept'],
    ['\taccept\t\n\n', 'accept'],
    ['\uFEFFbounce\n', 'bounce'],
  ])('%j is %s', (text, kind) => {
    expect(modeOf(text)).toEqual({ kind });
  });

  it.each([
    ['acept', 'ERR_MODE_UNKNOWN'],
    ['accept log', 'ERR_MODE_UNEXPECTED_TEXT'],
    ['defer\naccept', 'ERR_MODE_UNEXPECTED_TEXT'],
    ['defer:now', 'ERR_MODE_UNEXPECTED_TEXT'],
    ['accept_log', 'ERR_MODE_UNKNOWN'],
    ['grey-list', 'ERR_MODE_UNKNOWN'],
    ['défer', 'ERR_MODE_UNKNOWN'],
    ['', 'ERR_MODE_EMPTY'],
    [' \n\t ', 'ERR_MODE_EMPTY'],
    ['{"mode":"accept"}', 'ERR_MODE_DOCUMENT'],
    [':defer', 'ERR_MODE_UNKNOWN'],
  ] as const)('%j is refused with %s', (text, code) => {
    expect(errorOf(text).code).toBe(code);
  });

  it('says what was wrong and what is accepted', () => {
    const error = errorOf('acept');
    expect(error.message).toContain('unknown mode "acept"');
    expect(error.message).toContain(ACCEPTED_MODES_TEXT);
    expect(error.input).toBe('acept');
  });
});

describe('parseMode: reply:<code> <x.y.z> <text>', () => {
  it('reads the issue example', () => {
    expect(modeOf('reply:452 4.2.2 Mailbox full')).toEqual({
      kind: 'reply',
      code: 452,
      enhanced: '4.2.2',
      text: 'Mailbox full',
    });
  });

  it('ignores the case of the name and white space around the parts, keeps the text as written', () => {
    expect(modeOf('  REPLY: 550\t5.1.1   No  such   user here \n')).toEqual({
      kind: 'reply',
      code: 550,
      enhanced: '5.1.1',
      text: 'No  such   user here',
    });
  });

  it.each([...RCPT_REPLY_CODES])('accepts %i, which RFC 5321 allows for RCPT', (code) => {
    const klass = String(code)[0];
    expect(modeOf(`reply:${code} ${klass}.0.0 Chosen`)).toMatchObject({ code, enhanced: `${klass}.0.0` });
  });

  it.each([200, 220, 221, 252, 354, 400, 454, 502, 504, 554, 599, 199, 600])(
    'refuses %i, which is not an RCPT reply',
    (code) => {
      const error = errorOf(`reply:${code} ${String(code)[0]}.0.0 Nope`);
      expect(error.code).toBe('ERR_MODE_REPLY_CODE');
      expect(error.message).toContain('452');
    },
  );

  it.each([
    ['reply', 'ERR_MODE_REPLY_SYNTAX'],
    ['reply:', 'ERR_MODE_REPLY_SYNTAX'],
    ['reply 452 4.2.2 Mailbox full', 'ERR_MODE_REPLY_SYNTAX'],
    ['reply:452', 'ERR_MODE_REPLY_SYNTAX'],
    ['reply:452\n4.2.2 Mailbox full', 'ERR_MODE_REPLY_SYNTAX'],
    ['reply:4520 4.2.2 Mailbox full', 'ERR_MODE_REPLY_CODE'],
    ['reply:45 4.2.2 Mailbox full', 'ERR_MODE_REPLY_CODE'],
    ['reply:4x2 4.2.2 Mailbox full', 'ERR_MODE_REPLY_CODE'],
    ['reply:+452 4.2.2 Mailbox full', 'ERR_MODE_REPLY_CODE'],
    ['reply:452 4.2 Mailbox full', 'ERR_MODE_ENHANCED_CODE'],
    ['reply:452 4.2.2.1 Mailbox full', 'ERR_MODE_ENHANCED_CODE'],
    ['reply:452 4.02.2 Mailbox full', 'ERR_MODE_ENHANCED_CODE'],
    ['reply:452 4.2.1000 Mailbox full', 'ERR_MODE_ENHANCED_CODE'],
    ['reply:452 3.2.2 Mailbox full', 'ERR_MODE_ENHANCED_CODE'],
    ['reply:452 5.2.2 Mailbox full', 'ERR_MODE_CLASS_MISMATCH'],
    ['reply:550 4.1.1 User unknown', 'ERR_MODE_CLASS_MISMATCH'],
    ['reply:250 5.0.0 OK', 'ERR_MODE_CLASS_MISMATCH'],
    ['reply:452 4.2.2', 'ERR_MODE_REPLY_TEXT'],
    ['reply:452 4.2.2 Mailbox\r\nfull', 'ERR_MODE_REPLY_TEXT'],
    ['reply:452 4.2.2 Mailbox\nRCPT TO:<x>', 'ERR_MODE_REPLY_TEXT'],
    ['reply:452 4.2.2 Boîte pleine', 'ERR_MODE_REPLY_TEXT'],
    ['reply:452 4.2.2 nul\u0000byte', 'ERR_MODE_REPLY_TEXT'],
  ] as const)('%j is refused with %s', (text, code) => {
    expect(errorOf(text).code).toBe(code);
  });

  it('accepts the longest enhanced code parts, 999', () => {
    expect(modeOf('reply:452 4.999.999 x')).toMatchObject({ enhanced: '4.999.999' });
  });

  it(`accepts a text of MAX_REPLY_TEXT_LENGTH (${MAX_REPLY_TEXT_LENGTH}) and refuses one more`, () => {
    const at = 'x'.repeat(MAX_REPLY_TEXT_LENGTH);
    expect(modeOf(`reply:452 4.2.2 ${at}`)).toMatchObject({ text: at });
    expect(errorOf(`reply:452 4.2.2 ${at}x`).code).toBe('ERR_MODE_REPLY_TEXT');
  });
});

describe('parseMode: limits', () => {
  it(`refuses a text longer than MAX_MODE_TEXT_LENGTH (${MAX_MODE_TEXT_LENGTH}) after trimming`, () => {
    const long = `accept${'x'.repeat(MAX_MODE_TEXT_LENGTH)}`;
    expect(errorOf(long).code).toBe('ERR_MODE_TOO_LONG');
    expect(modeOf(`${' '.repeat(MAX_MODE_TEXT_LENGTH * 2)}accept\n`)).toEqual({ kind: 'accept' });
  });

  it('judges a text of exactly MAX_MODE_TEXT_LENGTH on its content, not its length', () => {
    const exact = `reply:452 4.2.2 ${'x'.repeat(MAX_MODE_TEXT_LENGTH - 16)}`;
    expect(exact).toHaveLength(MAX_MODE_TEXT_LENGTH);
    expect(errorOf(exact).code).toBe('ERR_MODE_REPLY_TEXT');
  });

  it(`keeps at most MAX_ERROR_INPUT_LENGTH (${MAX_ERROR_INPUT_LENGTH}) characters of the input, and quotes less`, () => {
    const error = errorOf('z'.repeat(10_000));
    expect(error.input).toHaveLength(MAX_ERROR_INPUT_LENGTH);
    expect(error.message.length).toBeLessThan(400);
  });

  it('escapes control characters it quotes, so a log line stays one line', () => {
    const error = errorOf('bogus\u001b[31m');
    expect(error.message).not.toContain('\u001b');
    expect(error.message).toContain('\\u001b');
  });
});
