import { describe, expect, it } from 'vitest';
import { decodeBase64, LOGIN_PASSWORD_PROMPT, LOGIN_USERNAME_PROMPT, parseLoginField, parsePlainResponse } from '../../src/protocol/sasl.js';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const plain = (text: string) => parsePlainResponse(decodeBase64(b64(text)) as Buffer);

describe('SASL base64 (RFC 4954 §4)', () => {
  it.each([
    ['AGFsaWNlAHNlY3JldA==', '\u0000alice\u0000secret'],
    ['=', ''],
    ['YWJj', 'abc'],
  ])('%s decodes', (text, decoded) => {
    expect(decodeBase64(text)?.toString('utf8')).toBe(decoded);
  });

  it.each(['', 'YWJ', 'YW=j', 'YWJj\u0000', 'YWJj YWJj', '*', 'YQ==='])('%j is refused', (text) => {
    expect(decodeBase64(text)).toBeUndefined();
  });

  it('the LOGIN prompts are base64 Username: and Password:', () => {
    expect(LOGIN_USERNAME_PROMPT).toBe('VXNlcm5hbWU6');
    expect(LOGIN_PASSWORD_PROMPT).toBe('UGFzc3dvcmQ6');
  });
});

describe('PLAIN (RFC 4616)', () => {
  it.each([
    ['\u0000alice\u0000secret', { authorizationId: '', username: 'alice', password: 'secret' }],
    ['admin\u0000alice\u0000s e c r e t', { authorizationId: 'admin', username: 'alice', password: 's e c r e t' }],
    ['\u0000jörg\u0000pässword', { authorizationId: '', username: 'jörg', password: 'pässword' }],
  ])('%j is accepted', (text, value) => {
    expect(plain(text)).toEqual({ ok: true, value: { mechanism: 'PLAIN', ...value } });
  });

  it.each([
    ['alice\u0000secret', /authzid NUL authcid NUL password/],
    ['\u0000alice\u0000sec\u0000ret', /authzid NUL authcid NUL password/],
    ['\u0000\u0000secret', /user name and a password/],
    ['\u0000alice\u0000', /user name and a password/],
    [`\u0000${'a'.repeat(256)}\u0000x`, /longer than 255/],
  ])('%j is refused', (text, reason) => {
    const result = plain(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('invalid UTF-8 is refused', () => {
    const result = parsePlainResponse(Buffer.from([0, 0x61, 0, 0xff, 0xfe]));
    expect(result.ok).toBe(false);
  });
});

describe('LOGIN fields', () => {
  it('accepts UTF-8 text, refuses empty, NUL, invalid UTF-8 and over 255 octets', () => {
    expect(parseLoginField(Buffer.from('alice'), 'user name')).toEqual({ ok: true, value: 'alice' });
    expect(parseLoginField(Buffer.alloc(0), 'user name').ok).toBe(false);
    expect(parseLoginField(Buffer.from('a\u0000b'), 'password').ok).toBe(false);
    expect(parseLoginField(Buffer.from([0xc3]), 'password').ok).toBe(false);
    expect(parseLoginField(Buffer.alloc(256, 0x61), 'password').ok).toBe(false);
  });
});
