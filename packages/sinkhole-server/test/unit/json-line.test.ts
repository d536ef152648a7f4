import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { logLine, toJsonLine } from '../../src/log/json-line.js';

// Everything some reader treats as a line break, or that reorders or hides text.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what the test looks for
const DANGEROUS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/;

describe('log line escaping', () => {
  it('escapes C0, DEL, C1, the Unicode separators and bidi controls, and keeps the value', () => {
    const value = 'a\r\nb\u0000c\u007fd\u0085e\u2028f\u2029g\u202eh\u2066i\ufeffj\u061ck';
    const line = toJsonLine({ helo: value });
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toMatch(DANGEROUS);
    expect(line).toBe(
      '{"helo":"a\\r\\nb\\u0000c\\u007fd\\u0085e\\u2028f\\u2029g\\u202eh\\u2066i\\ufeffj\\u061ck"}\n',
    );
    expect(JSON.parse(line)).toEqual({ helo: value });
  });

  it('escapes keys too, and lone surrogates', () => {
    const line = toJsonLine({ 'k\u2028': '\ud800' });
    expect(line).toBe('{"k\\u2028":"\\ud800"}\n');
  });

  it('any string makes exactly one safe line that parses back to the same value (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.array(fc.string({ unit: 'binary' }), { maxLength: 3 }), (text, list) => {
        const line = logLine('2026-01-01T00:00:00.000Z', 'info', { msg: 'connection', helo: text, rcptTo: list });
        const body = line.slice(0, -1);
        expect(body).not.toMatch(DANGEROUS);
        expect(JSON.parse(body)).toEqual({ time: '2026-01-01T00:00:00.000Z', level: 'info', msg: 'connection', helo: text, rcptTo: list });
      }),
    );
  });

  it('logLine puts time and level first and equals toJsonLine of the merged record', () => {
    const event = { msg: 'accepted', size: 3, headers: 'Subject: x\r\n' };
    expect(logLine('T', 'info', event)).toBe(toJsonLine({ time: 'T', level: 'info', ...event }));
    expect(logLine('T', 'warn', {})).toBe('{"time":"T","level":"warn"}\n');
  });
});
