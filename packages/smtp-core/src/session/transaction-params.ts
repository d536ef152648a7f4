import { parseMailDsn, parseRcptDsn, type MailDsn, type RcptDsn } from '../protocol/dsn-params.js';
import type { EsmtpParams } from '../protocol/esmtp-params.js';
import { reply, type Reply } from '../protocol/replies.js';
import * as R from '../protocol/stock-replies.js';
import type { Extensions } from './extensions.js';

export type ParamsCheck<T> = { readonly ok: true; readonly dsn: T | undefined } | { readonly ok: false; readonly reply: Reply };

/** The answer for a command without DSN parameters (nearly every one): shared, it is never changed. */
const NO_DSN = Object.freeze({ ok: true, dsn: undefined });
const MAIL_DSN_KEYWORDS = new Set(['RET', 'ENVID']);
const RCPT_DSN_KEYWORDS = new Set(['NOTIFY', 'ORCPT']);

/**
 * Checks MAIL FROM's parameters against the extensions in force. `esmtp` is false in a session
 * opened with HELO: extension parameters exist only after EHLO (RFC 5321 §4.1.1.1), so every
 * keyword is then unrecognised (555).
 */
export function checkMailParams(params: EsmtpParams, ext: Extensions, esmtp: boolean, maxMessageSize: number): ParamsCheck<MailDsn> {
  if (params.size === 0) return NO_DSN;
  for (const [keyword, value] of params) {
    if (keyword === 'SIZE' && ext.size && esmtp) {
      if (value === true || !/^\d{1,20}$/.test(value)) return fail(reply(501, '5.5.4', 'Syntax error in SIZE parameter'));
      if (Number(value) > maxMessageSize) return fail(R.REPLY_MESSAGE_TOO_BIG);
    } else if (keyword === 'BODY' && (ext.eightBitMime || binaryMime(ext)) && esmtp) {
      if (value !== true && HIDEABLE_BODY.has(value.toUpperCase()) && !bodyValueAllowed(value, ext)) return fail(unsupportedParam('MAIL FROM', `BODY=${value.toUpperCase()}`));
      if (value === true || !bodyValueAllowed(value, ext)) return fail(reply(501, '5.5.4', `Syntax error in BODY parameter: use ${bodyValues(ext)}`));
    } else if (keyword === 'SMTPUTF8' && ext.smtpUtf8 && esmtp) {
      if (value !== true) return fail(reply(501, '5.5.4', 'SMTPUTF8 takes no value'));
    } else if (!(MAIL_DSN_KEYWORDS.has(keyword) && ext.dsn && esmtp)) {
      return fail(unsupportedParam('MAIL FROM', keyword));
    }
  }
  if (!ext.dsn || !esmtp) return NO_DSN;
  const dsn = parseMailDsn(params);
  return dsn.ok ? { ok: true, dsn: dsn.dsn } : fail(dsnSyntax(dsn.reason));
}

/** Checks RCPT TO's parameters: NOTIFY and ORCPT with DSN, nothing else. */
export function checkRcptParams(params: EsmtpParams, ext: Extensions, esmtp: boolean): ParamsCheck<RcptDsn> {
  if (params.size === 0) return NO_DSN;
  for (const keyword of params.keys()) {
    if (!(RCPT_DSN_KEYWORDS.has(keyword) && ext.dsn && esmtp)) return fail(unsupportedParam('RCPT TO', keyword));
  }
  const dsn = parseRcptDsn(params);
  return dsn.ok ? { ok: true, dsn: dsn.dsn } : fail(dsnSyntax(dsn.reason));
}

/** BODY values of an extension that may be hidden: refused as not implemented (555), not as bad syntax. */
const HIDEABLE_BODY = new Set(['8BITMIME', 'BINARYMIME']);
const binaryMime = (ext: Extensions): boolean => ext.chunking && ext.binaryMime;

function bodyValueAllowed(value: string, ext: Extensions): boolean {
  const upper = value.toUpperCase();
  return upper === '7BIT' || (upper === '8BITMIME' && ext.eightBitMime) || (upper === 'BINARYMIME' && binaryMime(ext));
}

function bodyValues(ext: Extensions): string {
  return ['7BIT', ...(ext.eightBitMime ? ['8BITMIME'] : []), ...(binaryMime(ext) ? ['BINARYMIME'] : [])].join(' or ');
}

/** RFC 3030 §3: a BODY=BINARYMIME message can only be sent with BDAT. */
export function isBinaryMime(params: EsmtpParams): boolean {
  const body = params.get('BODY');
  return typeof body === 'string' && body.toUpperCase() === 'BINARYMIME';
}

export function unsupportedParam(command: string, keyword: string): Reply {
  return reply(555, '5.5.4', `${command} parameter ${keyword} not recognized or not implemented`);
}

function dsnSyntax(reason: string): Reply {
  return reply(501, '5.5.4', `Syntax error in DSN parameter: ${reason}`);
}

function fail(r: Reply): { readonly ok: false; readonly reply: Reply } {
  return { ok: false, reply: r };
}
