import { isUtf8 } from 'node:buffer';
import { parseEsmtpParams, type EsmtpParams } from './esmtp-params.js';
import { parsePath, type MailPath } from './path.js';
import { parsePlainPath } from './plain-path.js';
import { reply, type Reply } from './replies.js';
import { REPLY_HELO_SYNTAX, REPLY_NO_ARGUMENTS_ALLOWED, REPLY_VRFY_SYNTAX } from './stock-replies.js';

/** Verbs the engine implements (RFC 5321 §4.5.1 minimum plus HELP). */
export type ImplementedVerb = 'EHLO' | 'HELO' | 'LHLO' | 'MAIL' | 'RCPT' | 'DATA' | 'RSET' | 'NOOP' | 'QUIT' | 'VRFY' | 'HELP' | 'STARTTLS' | 'AUTH' | 'BDAT';

export type Command =
  | { readonly verb: 'EHLO' | 'HELO' | 'LHLO'; readonly domain: string }
  | { readonly verb: 'MAIL' | 'RCPT'; readonly path: MailPath; readonly params: EsmtpParams }
  | { readonly verb: 'DATA' | 'RSET' | 'QUIT' | 'STARTTLS' }
  /** RFC 4954 §4: `AUTH mechanism [initial-response]`; the mechanism upper-cased, the response as sent. */
  | { readonly verb: 'AUTH'; readonly mechanism: string; readonly initialResponse: string | undefined }
  /** RFC 3030 §2: `BDAT chunk-size [LAST]`; `size` octets follow the line. */
  | { readonly verb: 'BDAT'; readonly size: number; readonly last: boolean }
  | { readonly verb: 'NOOP' | 'HELP'; readonly argument: string }
  | { readonly verb: 'VRFY'; readonly argument: string }
  /** A verb of a standard SMTP command or extension that this server does not implement (502). */
  | { readonly verb: 'NOT_IMPLEMENTED'; readonly name: string }
  /** An HTTP request line sent to the SMTP port. */
  | { readonly verb: 'HTTP'; readonly name: string }
  | { readonly verb: 'UNKNOWN'; readonly name: string }
  /** A known verb with malformed arguments: `reply` is the 501 to send; the session state does not change. */
  | { readonly verb: 'INVALID'; readonly name: ImplementedVerb; readonly reply: Reply };

// Known verbs without an implementation here get 502 rather than 500 (RFC 5321 §4.2.4).
const NOT_IMPLEMENTED = new Set([
  'EXPN', 'TURN', 'ETRN', 'ATRN', 'SEND', 'SOML', 'SAML', 'XCLIENT', 'XFORWARD', 'BURL',
]);
const HTTP_VERBS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);
const MAX_VERB_LENGTH = 16;
const NO_PARAMS = { ok: true, params: new Map<string, string | true>() } as const;
const FROM_BYTES = Buffer.from('FROM:');
const TO_BYTES = Buffer.from('TO:');

/**
 * Parses one command line, `line[start..end)` (CRLF already removed). Never throws: unknown
 * verbs and bad arguments are values that carry the reply to send.
 */
export function parseCommand(line: Buffer, start = 0, end = line.length): Command {
  const name = readVerb(line, start, end);
  if (name === undefined) return { verb: 'UNKNOWN', name: '' };
  const args = start + name.length;
  const hasArgs = end > args;
  if (hasArgs && line[args] !== 0x20) return { verb: 'UNKNOWN', name: '' };
  switch (name) {
    case 'DATA':
    case 'RSET':
    case 'QUIT':
    case 'STARTTLS':
      return hasArgs && !isBlank(line, args, end) ? invalid(name, REPLY_NO_ARGUMENTS_ALLOWED) : { verb: name };
    case 'NOOP':
    case 'HELP':
      return { verb: name, argument: decodeArgs(line, args, end)?.trim() ?? '' };
    case 'EHLO':
    case 'HELO':
    case 'LHLO':
      return parseHelo(name, line, args, end);
    case 'AUTH':
      return parseAuth(line, args, end);
    case 'BDAT':
      return parseBdat(line, args, end);
    case 'MAIL':
    case 'RCPT':
      return parseMailOrRcpt(name, line, args, end);
    case 'VRFY': {
      const argument = decodeArgs(line, args, end)?.trim() ?? '';
      return argument === '' ? invalid('VRFY', REPLY_VRFY_SYNTAX) : { verb: 'VRFY', argument };
    }
    default:
      if (NOT_IMPLEMENTED.has(name)) return { verb: 'NOT_IMPLEMENTED', name };
      if (HTTP_VERBS.has(name) && /\sHTTP\/\d/.test(line.toString('latin1', start, end))) return { verb: 'HTTP', name };
      return { verb: 'UNKNOWN', name };
  }
}

const FOUR_LETTER_VERBS = new Map<number, string>();
for (const verb of ['EHLO', 'HELO', 'LHLO', 'MAIL', 'RCPT', 'DATA', 'RSET', 'NOOP', 'QUIT', 'VRFY', 'HELP', 'EXPN', 'TURN', 'ETRN', 'ATRN', 'SEND', 'SOML', 'SAML', 'BDAT', 'AUTH']) {
  FOUR_LETTER_VERBS.set(packVerb(Buffer.from(verb), 0), verb);
}

function packVerb(line: Buffer, at: number): number {
  return (((line[at] as number) << 24) | ((line[at + 1] as number) << 16) | ((line[at + 2] as number) << 8) | (line[at + 3] as number)) & 0xdfdfdfdf;
}

/** The upper-cased verb: 1..16 ASCII letters at the start of the line, or undefined. */
function readVerb(line: Buffer, start: number, lineEnd: number): string | undefined {
  const limit = Math.min(lineEnd, start + MAX_VERB_LENGTH + 1);
  let end = start;
  while (end < limit && line[end] !== 0x20) {
    const upper = (line[end] as number) & 0xdf;
    if (upper < 0x41 || upper > 0x5a) return undefined;
    end++;
  }
  const length = end - start;
  if (length === 0 || length > MAX_VERB_LENGTH) return undefined;
  // The common verbs are interned: no string is built for them.
  if (length === 4) {
    const known = FOUR_LETTER_VERBS.get(packVerb(line, start));
    if (known !== undefined) return known;
  }
  return line.toString('latin1', start, end).toUpperCase();
}

function isBlank(line: Buffer, from: number, end: number): boolean {
  for (let i = from; i < end; i++) if (line[i] !== 0x20) return false;
  return true;
}

/** Arguments `line[from..end)` as text, or undefined when they hold control characters or invalid UTF-8. */
function decodeArgs(line: Buffer, from: number, end: number): string | undefined {
  let ascii = true;
  for (let i = from; i < end; i++) {
    const c = line[i] as number;
    if (c < 0x20 || c === 0x7f) return undefined;
    if (c >= 0x80) ascii = false;
  }
  if (ascii) return line.toString('latin1', from, end);
  const args = line.subarray(from, end);
  return isUtf8(args) ? args.toString('utf8') : undefined;
}

/** `keyword` is upper case ASCII; compares without allocating. */
function startsWithIgnoringCase(text: string, at: number, keyword: string): boolean {
  if (text.length - at < keyword.length) return false;
  for (let i = 0; i < keyword.length; i++) {
    const c = text.charCodeAt(at + i);
    const k = keyword.charCodeAt(i);
    if (c !== k && (c > 0x7a || (c & 0xdf) !== k)) return false;
  }
  return true;
}

function invalid(name: ImplementedVerb, r: Reply): Command {
  return { verb: 'INVALID', name, reply: r };
}

function parseHelo(name: 'EHLO' | 'HELO' | 'LHLO', line: Buffer, args: number, end: number): Command {
  // Clients put all sorts of text after the domain; RFC 5321 §4.1.4 says not to reject on it.
  const domain = printableAsciiWord(line, args, end) ?? decodeArgs(line, args, end)?.trim().split(' ', 1)[0];
  return domain === undefined || domain === '' ? invalid(name, REPLY_HELO_SYNTAX) : { verb: name, domain };
}

/** The first word of arguments in printable ASCII, from the bytes ('' for none); undefined for any other byte. */
function printableAsciiWord(line: Buffer, from: number, lineEnd: number): string | undefined {
  let start = -1;
  let end = -1;
  for (let i = from; i < lineEnd; i++) {
    const c = line[i] as number;
    if (c < 0x20 || c >= 0x7f) return undefined;
    if (c !== 0x20) {
      if (start === -1) start = i;
    } else if (start !== -1 && end === -1) {
      end = i;
    }
  }
  return start === -1 ? '' : line.toString('latin1', start, end === -1 ? lineEnd : end);
}

function parseMailOrRcpt(name: 'MAIL' | 'RCPT', line: Buffer, args: number, end: number): Command {
  return parsePlainMailOrRcpt(name, line, args, end) ?? parseAnyMailOrRcpt(name, line, args, end);
}

/** `MAIL FROM:<a@b.c>` / `RCPT TO:<a@b.c>` with a plain address and no parameters, from the bytes. */
function parsePlainMailOrRcpt(name: 'MAIL' | 'RCPT', line: Buffer, args: number, end: number): Command | undefined {
  const keyword = name === 'MAIL' ? FROM_BYTES : TO_BYTES;
  let pos = args + 1;
  if (line[args] !== 0x20 || end < pos + keyword.length) return undefined;
  for (let k = 0; k < keyword.length; k++) {
    const c = line[pos + k] as number;
    const want = keyword[k] as number;
    // Letters in either case; the colon exactly.
    if (c !== want && (want === 0x3a || (c | 0x20) !== (want | 0x20))) return undefined;
  }
  pos += keyword.length;
  const parsed = parsePlainPath(line, pos, end);
  if (parsed === undefined || parsed.end !== end) return undefined;
  return { verb: name, path: parsed.path, params: NO_PARAMS.params };
}

function parseAnyMailOrRcpt(name: 'MAIL' | 'RCPT', line: Buffer, argsAt: number, end: number): Command {
  const isMail = name === 'MAIL';
  const enhanced = isMail ? '5.1.7' : '5.1.3';
  const keyword = isMail ? 'FROM:' : 'TO:';
  const syntax = (why: string): Command =>
    invalid(name, reply(501, enhanced, `Syntax: ${name} ${keyword}<address>: ${why}`));
  const args = decodeArgs(line, argsAt, end);
  if (args === undefined) return syntax('control characters or invalid UTF-8');
  const text = args;
  const at = text.charCodeAt(0) === 0x20 ? 1 : 0;
  if (!startsWithIgnoringCase(text, at, keyword)) return syntax(`expected "${keyword}"`);
  let start = at + keyword.length;
  // Tolerate "MAIL FROM: <a@b>": common in the field and harmless.
  while (text.charCodeAt(start) === 0x20) start++;
  const parsed = parsePath(text, start, isMail ? 'reverse' : 'forward');
  if (!parsed.ok) return syntax(parsed.reason);
  const params = parsed.end === text.length ? NO_PARAMS : parseEsmtpParams(text.slice(parsed.end));
  if (!params.ok) return invalid(name, reply(501, '5.5.4', `Syntax error in parameters: ${params.reason}`));
  return { verb: name, path: parsed.path, params: params.params };
}

const AUTH_SYNTAX = reply(501, '5.5.4', 'Syntax: AUTH mechanism [initial-response]');
const BDAT_SYNTAX = reply(501, '5.5.4', 'Syntax: BDAT chunk-size [LAST]');
/** A BDAT size beyond this is a syntax error, not a number to trust (far above any size limit). */
const BDAT_ARGS_RE = /^(\d{1,15})(?: +(LAST))?$/i;

function parseAuth(line: Buffer, argsAt: number, end: number): Command {
  const args = decodeArgs(line, argsAt, end)?.trim();
  if (args === undefined || args === '') return invalid('AUTH', AUTH_SYNTAX);
  const parts = args.split(' ').filter((p) => p !== '');
  const [mechanism, initialResponse, extra] = parts;
  // RFC 4422 §3.1: a mechanism name is 1..20 upper-case letters, digits, '-' or '_'.
  if (mechanism === undefined || extra !== undefined || !/^[A-Za-z0-9_-]{1,20}$/.test(mechanism)) return invalid('AUTH', AUTH_SYNTAX);
  return { verb: 'AUTH', mechanism: mechanism.toUpperCase(), initialResponse };
}

function parseBdat(line: Buffer, argsAt: number, end: number): Command {
  const args = decodeArgs(line, argsAt, end)?.trim();
  if (args === undefined) return invalid('BDAT', BDAT_SYNTAX);
  const match = BDAT_ARGS_RE.exec(args);
  if (match === null) return invalid('BDAT', BDAT_SYNTAX);
  return { verb: 'BDAT', size: Number(match[1]), last: match[2] !== undefined };
}
