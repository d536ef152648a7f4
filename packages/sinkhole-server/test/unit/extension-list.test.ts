import { DEFAULT_EXTENSIONS, NO_EXTENSIONS } from '@sinkhole/smtp-core';
import { describe, expect, it } from 'vitest';
import { parseExtensionList } from '../../src/cli/extension-list.js';

describe('--extensions LIST', () => {
  it('none is the plain RFC 5321 service; default is the engine defaults', () => {
    expect(parseExtensionList('none')).toEqual({ ok: true, value: NO_EXTENSIONS });
    expect(parseExtensionList('default')).toEqual({ ok: true, value: DEFAULT_EXTENSIONS });
    expect(parseExtensionList(' DEFAULT ')).toEqual({ ok: true, value: DEFAULT_EXTENSIONS });
  });

  it('a list names exactly what is advertised, case-insensitively', () => {
    expect(parseExtensionList('pipelining,SIZE, dsn')).toEqual({ ok: true, value: { ...NO_EXTENSIONS, pipelining: true, size: true, dsn: true } });
    expect(parseExtensionList('8bitmime,enhancedstatuscodes,smtputf8')).toEqual({
      ok: true,
      value: { ...NO_EXTENSIONS, eightBitMime: true, enhancedStatusCodes: true, smtpUtf8: true },
    });
  });

  it('-name removes, applied left to right', () => {
    expect(parseExtensionList('default,-8bitmime')).toEqual({ ok: true, value: { ...DEFAULT_EXTENSIONS, eightBitMime: false } });
    expect(parseExtensionList('-size,size')).toEqual({ ok: true, value: { ...NO_EXTENSIONS, size: true } });
  });

  it.each([
    ['starttls', /"starttls" \(item 1\) is not an extension/],
    ['size,,dsn', /item 2 is empty/],
    ['', /item 1 is empty/],
    ['none,size', /"none" \(item 1\)/],
    [Array(33).fill('size').join(','), /at most 32 items/],
  ])('%j is refused, naming the item', (text, problem) => {
    const result = parseExtensionList(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem).toMatch(problem);
      if (!/at most/.test(result.problem)) expect(result.problem).toContain('pipelining, size, 8bitmime, enhancedstatuscodes, smtputf8, dsn, chunking, binarymime');
    }
  });
});
