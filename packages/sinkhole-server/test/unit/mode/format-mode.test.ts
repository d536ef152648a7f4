import { describe, expect, it } from 'vitest';
import { DEFAULT_MODE, formatMode, isMode, sameMode } from '../../../src/index.js';

describe('formatMode', () => {
  it('writes the canonical text', () => {
    expect(formatMode({ kind: 'accept-log' })).toBe('accept-log');
    expect(formatMode({ kind: 'reply', code: 452, enhanced: '4.2.2', text: 'Mailbox full' })).toBe(
      'reply:452 4.2.2 Mailbox full',
    );
  });

  it('DEFAULT_MODE is defer and frozen', () => {
    expect(DEFAULT_MODE).toEqual({ kind: 'defer' });
    expect(Object.isFrozen(DEFAULT_MODE)).toBe(true);
  });

  it('sameMode compares by value', () => {
    expect(sameMode({ kind: 'accept' }, { kind: 'accept' })).toBe(true);
    expect(sameMode({ kind: 'accept' }, { kind: 'accept-log' })).toBe(false);
    const reply = { kind: 'reply', code: 452, enhanced: '4.2.2', text: 'Full' } as const;
    expect(sameMode(reply, { ...reply })).toBe(true);
    expect(sameMode(reply, { ...reply, text: 'full' })).toBe(false);
  });
});

describe('isMode', () => {
  it.each([
    { kind: 'defer' },
    { kind: 'greylist' },
    { kind: 'reply', code: 550, enhanced: '5.1.1', text: 'User unknown' },
  ])('accepts %j', (value) => {
    expect(isMode(value)).toBe(true);
  });

  it.each([
    null,
    undefined,
    'accept',
    42,
    {},
    { kind: 'ACCEPT' },
    { kind: 'reply' },
    { kind: 'reply', code: '550', enhanced: '5.1.1', text: 'x' },
    { kind: 'reply', code: 550, enhanced: '4.1.1', text: 'x' },
    { kind: 'reply', code: 354, enhanced: '3.0.0', text: 'x' },
    { kind: 'reply', code: 550, enhanced: '5.1.1', text: ' padded ' },
    { kind: 'reply', code: 550, enhanced: '5.1.1', text: 'two\r\nlines' },
    { kind: 'reply', code: 550.5, enhanced: '5.1.1', text: 'x' },
    { kind: 'accept extra' },
  ])('refuses %j', (value) => {
    expect(isMode(value)).toBe(false);
  });
});
