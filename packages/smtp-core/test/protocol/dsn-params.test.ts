import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMailDsn, parseRcptDsn } from '../../src/protocol/dsn-params.js';
import { parseEsmtpParams } from '../../src/protocol/esmtp-params.js';
import { decodeXtext, encodeXtext } from '../../src/protocol/xtext.js';

const params = (text: string) => {
  const parsed = parseEsmtpParams(` ${text}`);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.params;
};

describe('xtext (RFC 3461 §4)', () => {
  it.each([
    ['abc', 'abc'],
    ['a+2Bb', 'a+b'],
    ['+3D', '='],
    ['x+20y', 'x y'],
    ['+2B+2B', '++'],
    ['', ''],
  ])('%j decodes to %j', (text, decoded) => {
    expect(decodeXtext(text)).toBe(decoded);
  });

  it.each(['a+2b', 'a+', 'a+2', 'a+G0', 'a=b', 'a b', 'ä', 'a\u007fb'])('%j is not xtext', (text) => {
    expect(decodeXtext(text)).toBeUndefined();
  });

  it('encodeXtext and decodeXtext are inverse over octets', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)) }), (text) => {
        const encoded = encodeXtext(text);
        expect(decodeXtext(encoded)).toBe(text);
      }),
    );
  });
});

describe('MAIL FROM: RET and ENVID (RFC 3461 §4.3, §4.4)', () => {
  it.each([
    ['RET=FULL', { ret: 'FULL', envid: undefined }],
    ['RET=hdrs', { ret: 'HDRS', envid: undefined }],
    ['ENVID=QQ314159', { ret: undefined, envid: 'QQ314159' }],
    ['ENVID=a+2Bb+3Dc RET=HDRS', { ret: 'HDRS', envid: 'a+b=c' }],
    [`ENVID=${'x'.repeat(100)}`, { ret: undefined, envid: 'x'.repeat(100) }],
  ])('%s is accepted', (text, dsn) => {
    expect(parseMailDsn(params(text))).toEqual({ ok: true, dsn });
  });

  it.each([
    ['RET', /RET must be FULL or HDRS/],
    ['RET=NONE', /RET must be FULL or HDRS/],
    ['ENVID', /ENVID needs a value/],
    [`ENVID=${'x'.repeat(101)}`, /longer than 100/],
    ['ENVID=a+2', /not valid xtext/],
    ['ENVID=a+0Ab', /printable ASCII/],
  ])('%s is refused', (text, reason) => {
    const result = parseMailDsn(params(text));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('without either parameter there is no DSN request', () => {
    expect(parseMailDsn(params('SIZE=10'))).toEqual({ ok: true, dsn: undefined });
  });
});

describe('RCPT TO: NOTIFY and ORCPT (RFC 3461 §4.1, §4.2)', () => {
  it.each([
    ['NOTIFY=NEVER', { notify: 'NEVER', orcpt: undefined }],
    ['NOTIFY=never', { notify: 'NEVER', orcpt: undefined }],
    ['NOTIFY=SUCCESS', { notify: ['SUCCESS'], orcpt: undefined }],
    ['NOTIFY=FAILURE,DELAY', { notify: ['FAILURE', 'DELAY'], orcpt: undefined }],
    ['NOTIFY=success,failure,delay', { notify: ['SUCCESS', 'FAILURE', 'DELAY'], orcpt: undefined }],
    ['ORCPT=rfc822;bob@example.com', { notify: undefined, orcpt: { addrType: 'rfc822', address: 'bob@example.com' } }],
    ['ORCPT=rfc822;b+2Bob@example.com NOTIFY=DELAY', { notify: ['DELAY'], orcpt: { addrType: 'rfc822', address: 'b+ob@example.com' } }],
  ])('%s is accepted', (text, dsn) => {
    expect(parseRcptDsn(params(text))).toEqual({ ok: true, dsn });
  });

  it.each([
    ['NOTIFY', /needs a value/],
    ['NOTIFY=NEVER,SUCCESS', /NEVER cannot be combined/],
    ['NOTIFY=DELAY,NEVER', /NEVER cannot be combined/],
    ['NOTIFY=SOMETIMES', /not SUCCESS, FAILURE, DELAY or NEVER/],
    ['NOTIFY=SUCCESS,,FAILURE', /not SUCCESS/],
    ['NOTIFY=SUCCESS,SUCCESS', /twice/],
    ['ORCPT', /needs a value/],
    ['ORCPT=bob@example.com', /addr-type;address/],
    ['ORCPT=;bob@example.com', /addr-type;address/],
    ['ORCPT=rfc822;', /empty/],
    ['ORCPT=rfc(822);bob', /atom/],
    ['ORCPT=rfc822;bob+zz', /xtext/],
    [`ORCPT=rfc822;${'x'.repeat(500)}`, /longer than 500/],
  ])('%s is refused', (text, reason) => {
    const result = parseRcptDsn(params(text));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});
