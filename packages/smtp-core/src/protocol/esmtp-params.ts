/** ESMTP parameters of MAIL or RCPT (RFC 5321 §4.1.2), keyed by upper-cased keyword. */
export type EsmtpParams = ReadonlyMap<string, string | true>;

export type ParamsResult =
  | { readonly ok: true; readonly params: EsmtpParams }
  | { readonly ok: false; readonly reason: string };

const EMPTY: EsmtpParams = new Map();
const KEYWORD_RE = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

/**
 * Parses `SP esmtp-param *(SP esmtp-param)` syntax only; which keywords are supported is the
 * session's decision. esmtp-value = 1*(%d33-60 / %d62-126), plus UTF-8 (RFC 6531).
 */
export function parseEsmtpParams(text: string): ParamsResult {
  if (text.trim() === '') return { ok: true, params: EMPTY };
  if (!text.startsWith(' ')) return { ok: false, reason: 'parameters must be separated by a space' };
  const params = new Map<string, string | true>();
  for (const item of text.split(' ')) {
    if (item === '') continue;
    const eq = item.indexOf('=');
    const keyword = (eq === -1 ? item : item.slice(0, eq)).toUpperCase();
    if (!KEYWORD_RE.test(keyword)) return { ok: false, reason: `invalid parameter keyword "${keyword}"` };
    if (params.has(keyword)) return { ok: false, reason: `duplicate parameter ${keyword}` };
    if (eq === -1) {
      params.set(keyword, true);
      continue;
    }
    const value = item.slice(eq + 1);
    if (value === '' || !isEsmtpValue(value)) return { ok: false, reason: `invalid value for ${keyword}` };
    params.set(keyword, value);
  }
  return { ok: true, params };
}

function isEsmtpValue(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 33 || c === 61 || c === 127) return false;
  }
  return true;
}
