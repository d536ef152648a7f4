import { SmtpCoreError } from '../errors.js';

/** RFC 3463 enhanced status code: class.subject.detail, e.g. `4.3.2`. */
export type EnhancedCode = `${2 | 4 | 5}.${number}.${number}`;

/** A reply as the server will send it. Build one with {@link reply}. */
export interface Reply {
  /** Three-digit RFC 5321 §4.2 reply code (200..599). */
  readonly code: number;
  /** RFC 3463 enhanced status code, sent when ENHANCEDSTATUSCODES is enabled (2xx/4xx/5xx only). */
  readonly enhanced: EnhancedCode | undefined;
  /** One entry per reply line; no CR or LF inside. */
  readonly lines: readonly string[];
}

// RFC 3463 §2: class "." subject "." detail, subject and detail 1*3digit without leading zeros.
const ENHANCED_RE = /^([245])\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;

/** True when text is an RFC 3463 enhanced status code (class 2, 4 or 5; no leading zeros). */
export function isEnhancedCode(text: unknown): text is EnhancedCode {
  return typeof text === 'string' && ENHANCED_RE.test(text);
}

/** True when reply code and enhanced code have the same class (RFC 3463 §2: 2xx with 2.x.x, ...). */
export function enhancedClassMatches(code: number, enhanced: EnhancedCode): boolean {
  return enhanced.charCodeAt(0) - 48 === Math.floor(code / 100);
}

/** Why a reply value is unusable, or undefined when it is well formed. */
export function replyProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'a reply must be an object';
  const { code, enhanced, lines } = value as Partial<Reply>;
  if (typeof code !== 'number' || !Number.isInteger(code) || code < 200 || code > 599) {
    return `reply code must be an integer 200..599, got ${String(code)}`;
  }
  // RFC 5321 §4.2: the second digit is 0..5.
  if (Math.floor(code / 10) % 10 > 5) return `reply code ${code} has a second digit above 5`;
  if (enhanced !== undefined) {
    if (!isEnhancedCode(enhanced)) return `enhanced code must look like 4.3.2 (RFC 3463: no leading zeros), got ${String(enhanced)}`;
    if (!enhancedClassMatches(code, enhanced)) {
      return `enhanced code ${enhanced} does not match the class of reply code ${code}`;
    }
  }
  if (!Array.isArray(lines) || lines.length === 0) return 'reply needs at least one text line';
  for (const line of lines) {
    if (typeof line !== 'string') return 'reply lines must be strings';
    if (/[\r\n]/.test(line)) return 'reply lines must not contain CR or LF';
    if (line.length > 505) return 'a reply line is limited to 512 octets including code and CRLF (RFC 5321 §4.5.3.1.5)';
  }
  return undefined;
}

// Replies built by reply() were checked once; hooks return them over and over.
const CHECKED = new WeakSet<Reply>();

/** True for a reply built (and so already checked) by {@link reply}. */
export function isCheckedReply(value: unknown): value is Reply {
  return typeof value === 'object' && value !== null && CHECKED.has(value as Reply);
}

/**
 * Builds a checked reply. `enhanced` is null for replies that carry none (3xx, greetings).
 * Throws {@link SmtpCoreError} `ERR_SMTP_INVALID_REPLY` when code, enhanced code and text disagree.
 */
export function reply(code: number, enhanced: EnhancedCode | null, text: string | readonly string[]): Reply {
  const value: Reply = {
    code,
    enhanced: enhanced ?? undefined,
    lines: typeof text === 'string' ? [text] : [...text],
  };
  const problem = replyProblem(value);
  if (problem !== undefined) throw new SmtpCoreError('ERR_SMTP_INVALID_REPLY', problem);
  Object.freeze(value);
  CHECKED.add(value);
  return value;
}

export function isPositive(r: Reply): boolean {
  return r.code >= 200 && r.code < 300;
}

/** RFC 5321 §3.8: a 421 means the server is closing the transmission channel. */
export function closesChannel(r: Reply): boolean {
  return r.code === 421;
}
