import { enhancedClassMatches, isEnhancedCode } from '@sinkhole/smtp-core';
import { readScenarioDocument } from '../scenario/read-document.js';
import { SIMPLE_MODE_KINDS, type Mode } from './mode.js';
import { modeParseError, quote, type ModeParseError } from './mode-parse-error.js';
import { RCPT_REPLY_CODES, RCPT_REPLY_CODES_TEXT } from './rcpt-reply-codes.js';

export type ModeParseResult =
  | { readonly ok: true; readonly mode: Mode }
  | { readonly ok: false; readonly error: ModeParseError };

/**
 * Longest accepted mode text, after trimming. An SSM String parameter holds at
 * most 4 KB (standard tier); nothing valid today comes close.
 */
export const MAX_MODE_TEXT_LENGTH = 4096;

/**
 * Longest reply text. RFC 5321 Section 4.5.3.1.5 caps a reply line at 512
 * octets including the code and CRLF; "452 4.2.2 " and CRLF take 12.
 */
export const MAX_REPLY_TEXT_LENGTH = 500;

const SIMPLE_KINDS: ReadonlySet<string> = new Set(SIMPLE_MODE_KINDS);
const NAME_END = /[:\s]/;
const REPLY_ARGS = /^[ \t]*(\S+)[ \t]+(\S+)(?:[ \t]+([\s\S]*))?$/;
const REPLY_CODE = /^[2-5]\d\d$/;
// RFC 5321 Section 4.2: textstring = 1*(%d09 / %d32-126).
const REPLY_TEXT = /^[\t\x20-\x7e]+$/;

/**
 * Reads a mode text, from any source. Never throws.
 *
 * Grammar (white space around the whole text is ignored, the mode name is
 * case-insensitive):
 *   defer | bounce | accept | accept-log | greylist
 *   reply:<code> <x.y.z> <text>
 *   a JSON scenario document (a text starting with "{"; see scenario/read-document.ts)
 */
export function parseMode(text: string): ModeParseResult {
  const input = text.trim();
  if (input.length === 0) return fail('ERR_MODE_EMPTY', 'the mode is empty', text);
  if (input.length > MAX_MODE_TEXT_LENGTH) {
    return fail(
      'ERR_MODE_TOO_LONG',
      `the mode is ${input.length} characters long, more than ${MAX_MODE_TEXT_LENGTH}`,
      text,
    );
  }
  if (input.startsWith('{')) {
    const reading = readScenarioDocument(input, checkOtherwise);
    if (!reading.ok) return fail('ERR_MODE_DOCUMENT', `scenario document: at ${reading.path}: ${reading.problem}`, text);
    return { ok: true, mode: { kind: 'scenario', document: reading.document, text: reading.canonical } };
  }
  const nameEnd = input.search(NAME_END);
  const name = (nameEnd === -1 ? input : input.slice(0, nameEnd)).toLowerCase();
  const rest = nameEnd === -1 ? '' : input.slice(nameEnd);
  if (name === 'reply') return parseReply(rest, text);
  if (!SIMPLE_KINDS.has(name)) {
    return fail('ERR_MODE_UNKNOWN', `unknown mode ${quote(name)}`, text);
  }
  if (rest.length > 0) {
    return fail(
      'ERR_MODE_UNEXPECTED_TEXT',
      `mode ${quote(name)} takes no argument, but ${quote(rest)} follows it`,
      text,
    );
  }
  // SIMPLE_KINDS holds exactly the kinds without arguments.
  return { ok: true, mode: { kind: name as (typeof SIMPLE_MODE_KINDS)[number] } };
}

function parseReply(rest: string, text: string): ModeParseResult {
  const args = rest.startsWith(':') ? REPLY_ARGS.exec(rest.slice(1)) : null;
  if (args === null) {
    return fail('ERR_MODE_REPLY_SYNTAX', 'a reply mode must read reply:<code> <x.y.z> <text>', text);
  }
  const [, codeText = '', enhancedText = '', replyText = ''] = args;
  if (!REPLY_CODE.test(codeText) || !RCPT_REPLY_CODES.has(Number(codeText))) {
    return fail(
      'ERR_MODE_REPLY_CODE',
      `reply code ${quote(codeText)} is not one RFC 5321 allows for RCPT (${RCPT_REPLY_CODES_TEXT})`,
      text,
    );
  }
  const code = Number(codeText);
  // The enhanced code's syntax and class are smtp-core's reply() checks (RFC 3463 §2).
  if (!isEnhancedCode(enhancedText)) {
    return fail(
      'ERR_MODE_ENHANCED_CODE',
      `enhanced code ${quote(enhancedText)} is not class.subject.detail (RFC 3463: class 2, 4 or 5, then 0-999 twice, no leading zeros)`,
      text,
    );
  }
  if (!enhancedClassMatches(code, enhancedText)) {
    return fail(
      'ERR_MODE_CLASS_MISMATCH',
      `enhanced code ${enhancedText} has class ${enhancedText[0] ?? '?'} but reply code ${codeText} has class ${codeText[0] ?? '?'}`,
      text,
    );
  }
  if (replyText.length === 0) {
    return fail('ERR_MODE_REPLY_TEXT', 'the reply text is missing', text);
  }
  if (replyText.length > MAX_REPLY_TEXT_LENGTH) {
    return fail(
      'ERR_MODE_REPLY_TEXT',
      `the reply text is ${replyText.length} characters long, more than ${MAX_REPLY_TEXT_LENGTH}`,
      text,
    );
  }
  if (!REPLY_TEXT.test(replyText)) {
    return fail(
      'ERR_MODE_REPLY_TEXT',
      `the reply text ${quote(replyText)} has a character other than tab or printable ASCII (no line breaks)`,
      text,
    );
  }
  return {
    ok: true,
    mode: {
      kind: 'reply',
      code,
      enhanced: enhancedText,
      text: replyText,
    },
  };
}

/** A document's fallback is a one-word or reply: mode, never another document. */
function checkOtherwise(text: string): string | undefined {
  if (text.trim().startsWith('{')) return 'must be a one-word or reply: mode, not a document';
  const parsed = parseMode(text);
  return parsed.ok ? undefined : parsed.error.message;
}

function fail(...args: Parameters<typeof modeParseError>): ModeParseResult {
  return { ok: false, error: modeParseError(...args) };
}
