import { describe, expect, it } from 'vitest';
import { createSmtpServer } from '../src/index.js';
import { DEFAULT_LIMITS, resolveLimits } from '../src/limits.js';

describe('resolveLimits', () => {
  it('returns the defaults, frozen', () => {
    const limits = resolveLimits();
    expect(limits).toEqual(DEFAULT_LIMITS);
    expect(Object.isFrozen(limits)).toBe(true);
  });

  it('merges overrides', () => {
    expect(resolveLimits({ maxRecipients: 5, idleTimeoutMs: undefined }).maxRecipients).toBe(5);
  });

  it.each([
    [{ maxLineLength: 100 }, /maxLineLength must be an integer >= 512/],
    [{ maxConnections: 0 }, /maxConnections/],
    [{ idleTimeoutMs: 1.5 }, /idleTimeoutMs/],
    [{ maxMessageSize: Number.NaN }, /maxMessageSize/],
    [{ nonsense: 1 } as never, /unknown limit "nonsense"/],
  ])('refuses %j', (overrides, message) => {
    expect(() => resolveLimits(overrides)).toThrow(message);
  });

  it('createSmtpServer refuses bad limits and a bad hostname with ERR_SMTP_INVALID_OPTION', () => {
    expect(() => createSmtpServer({ limits: { maxRecipients: -1 } })).toThrow(expect.objectContaining({ code: 'ERR_SMTP_INVALID_OPTION' }));
    expect(() => createSmtpServer({ hostname: 'has space' })).toThrow(expect.objectContaining({ code: 'ERR_SMTP_INVALID_OPTION' }));
  });
});
