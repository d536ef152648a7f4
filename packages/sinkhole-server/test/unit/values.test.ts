import { describe, expect, it } from 'vitest';
import { formatByteSize, formatDuration, MAX_DURATION_MS, parseByteSize, parseCount, parseDuration } from '../../src/cli/values.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1.5s', 1_500],
    ['250', 250],
    ['0', 0],
    ['0s', 0],
    [' 2m ', 120_000],
  ])('%j is %d ms', (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, value: ms });
  });

  it.each(['', 'abc', '-1s', '5 m', '1d', '1e3', 's', '1.s', '30S'])('refuses %j', (text) => {
    const result = parseDuration(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toContain('500ms, 30s, 5m, 1h');
  });

  it('refuses durations a timer cannot wait for', () => {
    expect(parseDuration(`${MAX_DURATION_MS}`)).toEqual({ ok: true, value: MAX_DURATION_MS });
    expect(parseDuration('600h')).toEqual({ ok: false, problem: expect.stringContaining('at most') });
  });
});

describe('parseByteSize', () => {
  it.each([
    ['1048576', 1_048_576],
    ['512k', 524_288],
    ['512KiB', 524_288],
    ['10m', 10 * 1024 * 1024],
    ['10MB', 10 * 1024 * 1024],
    ['1g', 1024 ** 3],
    ['0', 0],
  ])('%j is %d bytes', (text, bytes) => {
    expect(parseByteSize(text)).toEqual({ ok: true, value: bytes });
  });

  it.each(['', '1.5m', '-1', '10 m', '10t', 'k'])('refuses %j', (text) => {
    expect(parseByteSize(text).ok).toBe(false);
  });
});

describe('parseCount', () => {
  it('takes whole decimal numbers only', () => {
    expect(parseCount('42')).toEqual({ ok: true, value: 42 });
    for (const text of ['', '4.2', '-1', '1e3', '0x10', 'ten', '99999999999999999999']) expect(parseCount(text).ok).toBe(false);
  });
});

describe('formatting', () => {
  it('writes durations and sizes the shortest exact way, and they parse back', () => {
    for (const ms of [0, 1, 999, 1000, 1500, 60_000, 90_000, 1_800_000, 3_600_000, 100_000]) {
      expect(parseDuration(formatDuration(ms))).toEqual({ ok: true, value: ms });
    }
    expect(formatDuration(1_800_000)).toBe('30m');
    expect(formatDuration(100_000)).toBe('100s');
    for (const bytes of [0, 1, 1024, 4096, 65_536, 64 * 1024 * 1024, 1024 ** 3, 1000]) {
      expect(parseByteSize(formatByteSize(bytes))).toEqual({ ok: true, value: bytes });
    }
    expect(formatByteSize(64 * 1024 * 1024)).toBe('64m');
  });
});
