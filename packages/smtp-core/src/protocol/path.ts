import { isIPv4, isIPv6 } from 'node:net';
import { ATEXT, isAsciiLetDig, NO_ROUTE } from './address-chars.js';

/** A reverse-path or forward-path of RFC 5321 §4.1.2, source route removed. */
export interface MailPath {
  /** `local@domain` as sent (quoted local parts keep their quotes); '' for the null path `<>`. */
  readonly address: string;
  /** The local part with quoting removed; 'Postmaster' for `<Postmaster>`. */
  readonly localPart: string;
  /** The domain or address literal (with brackets); '' for `<>` and `<Postmaster>`. */
  readonly domain: string;
  /** Hosts of an obsolete source route (`<@a,@b:user@c>`), accepted and ignored (RFC 5321 §4.1.2, §C). */
  readonly sourceRoute: readonly string[];
  /** True when the address holds non-ASCII characters (needs SMTPUTF8, RFC 6531). */
  readonly utf8: boolean;
}

export type PathKind = 'reverse' | 'forward';

export type PathResult =
  | { readonly ok: true; readonly path: MailPath; readonly end: number }
  | { readonly ok: false; readonly reason: string };

const NULL_PATH: MailPath = Object.freeze({ address: '', localPart: '', domain: '', sourceRoute: [], utf8: false });
const POSTMASTER: MailPath = Object.freeze({
  address: 'Postmaster',
  localPart: 'Postmaster',
  domain: '',
  sourceRoute: [],
  utf8: false,
});

function isAtext(code: number): boolean {
  return code >= 128 || ATEXT[code] === 1;
}

/** Let-dig, or a non-ASCII character of a U-label (RFC 6531). */
function isLetDig(code: number): boolean {
  return code >= 128 || isAsciiLetDig(code);
}

/**
 * Parses a path that starts at `text[start]` (which must be `<`). Returns the path and the
 * index just after `>`, or the reason it is malformed.
 */
export function parsePath(text: string, start: number, kind: PathKind): PathResult {
  if (text.charCodeAt(start) !== 0x3c) return { ok: false, reason: 'address must be enclosed in <>' };
  const from = start + 1;
  let close = text.indexOf('>', from);
  if (close === -1) return { ok: false, reason: 'missing closing >' };
  // '>' cannot appear unquoted inside a path; a quoted one needs the slow path.
  const quote = text.indexOf('"', from);
  if (quote !== -1 && quote < close) {
    close = findPathEnd(text, from);
    if (close === -1) return { ok: false, reason: 'unterminated quoted local part' };
  }
  const end = close + 1;
  if (close === from) {
    return kind === 'reverse' ? { ok: true, path: NULL_PATH, end } : { ok: false, reason: 'empty forward-path' };
  }
  if (kind === 'forward' && close - from === 10 && text.slice(from, close).toLowerCase() === 'postmaster') {
    return { ok: true, path: POSTMASTER, end };
  }
  let mailboxStart = from;
  let sourceRoute: readonly string[] = NO_ROUTE;
  if (text.charCodeAt(from) === 0x40) {
    const colon = text.indexOf(':', from);
    if (colon === -1 || colon > close) return { ok: false, reason: 'source route without ":"' };
    const hops: string[] = [];
    for (const hop of text.slice(from, colon).split(',')) {
      if (!hop.startsWith('@') || !isDomain(hop.slice(1))) return { ok: false, reason: `bad source route "${hop}"` };
      hops.push(hop.slice(1));
    }
    sourceRoute = hops;
    mailboxStart = colon + 1;
  }
  const mailbox = parseMailbox(text.slice(mailboxStart, close), sourceRoute);
  if (typeof mailbox === 'string') return { ok: false, reason: mailbox };
  return { ok: true, path: mailbox, end };
}

function findPathEnd(text: string, from: number): number {
  let quoted = false;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quoted) {
      if (c === 0x5c) i++;
      else if (c === 0x22) quoted = false;
    } else if (c === 0x22) {
      quoted = true;
    } else if (c === 0x3e) {
      return i;
    }
  }
  return -1;
}

function parseMailbox(text: string, sourceRoute: readonly string[]): MailPath | string {
  let localPart: string;
  let at: number;
  if (text.startsWith('"')) {
    const quoted = parseQuotedString(text);
    if (typeof quoted === 'string') return quoted;
    localPart = quoted.value;
    at = quoted.end;
  } else {
    at = text.lastIndexOf('@');
    if (at === -1) return 'address has no @domain';
    localPart = text.slice(0, at);
    if (!isDotString(localPart)) {
      return localPart === '' ? 'empty local part' : `invalid local part "${localPart}"`;
    }
  }
  if (text.charCodeAt(at) !== 0x40) return 'address has no @domain';
  const domain = text.slice(at + 1);
  if (domain === '') return 'empty domain';
  if (domain.startsWith('[') ? !isAddressLiteral(domain) : !isDomain(domain)) return `invalid domain "${domain}"`;
  return { address: text, localPart, domain, sourceRoute, utf8: hasNonAscii(text) };
}

function parseQuotedString(text: string): { value: string; end: number } | string {
  let value = '';
  for (let i = 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return { value, end: i + 1 };
    if (c === 0x5c) {
      const next = text.charCodeAt(i + 1);
      // RFC 5321 quoted-pairSMTP = %d92 %d32-126
      if (!(next >= 32 && next <= 126)) return 'invalid quoted pair in local part';
      value += text[i + 1];
      i++;
      continue;
    }
    // qtextSMTP = %d32-33 / %d35-91 / %d93-126, plus UTF-8 under RFC 6531.
    if (c < 32 || c === 127) return 'control character in quoted local part';
    value += text[i];
  }
  return 'unterminated quoted local part';
}

function isDotString(s: string): boolean {
  if (s === '') return false;
  let atomLength = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2e) {
      if (atomLength === 0) return false;
      atomLength = 0;
    } else if (isAtext(c)) {
      atomLength++;
    } else {
      return false;
    }
  }
  return atomLength > 0;
}

/** RFC 5321 Domain: sub-domain *("." sub-domain), letters/digits/hyphen, no edge hyphens; U-labels allowed. */
export function isDomain(s: string): boolean {
  if (s === '' || s.length > 255) return false;
  let labelStart = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i === s.length ? 0x2e : s.charCodeAt(i);
    if (c === 0x2e) {
      const length = i - labelStart;
      // Each label starts and ends with a letter or digit and holds at most 63 octets.
      if (length === 0 || length > 63 || s.charCodeAt(i - 1) === 0x2d || s.charCodeAt(labelStart) === 0x2d) return false;
      labelStart = i + 1;
    } else if (!isLetDig(c) && c !== 0x2d) {
      return false;
    }
  }
  return true;
}

/** RFC 5321 §4.1.3 address literals: `[1.2.3.4]`, `[IPv6:...]`, `[tag:content]`. */
export function isAddressLiteral(s: string): boolean {
  if (!s.startsWith('[') || !s.endsWith(']')) return false;
  const body = s.slice(1, -1);
  if (isIPv4(body)) return true;
  const colon = body.indexOf(':');
  if (colon <= 0) return false;
  const tag = body.slice(0, colon);
  const content = body.slice(colon + 1);
  if (tag.toLowerCase() === 'ipv6') return isIPv6(content);
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(tag) || content === '') return false;
  for (let i = 0; i < content.length; i++) {
    const c = content.charCodeAt(i);
    // dcontent = %d33-90 / %d94-126
    if (!((c >= 33 && c <= 90) || (c >= 94 && c <= 126))) return false;
  }
  return true;
}

function hasNonAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 128) return true;
  return false;
}
