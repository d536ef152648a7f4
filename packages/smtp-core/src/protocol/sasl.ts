// SASL for SMTP AUTH (RFC 4954): the PLAIN (RFC 4616) and LOGIN mechanisms, as pure functions.

export type SaslMechanism = 'PLAIN' | 'LOGIN';

/** What a client presented. The password is for the policy's decision only: never log it. */
export interface SaslCredentials {
  readonly mechanism: SaslMechanism;
  /** The authorization identity (PLAIN's first field; empty when the client sent none; LOGIN has none). */
  readonly authorizationId: string;
  /** The authentication identity: the user name. */
  readonly username: string;
  readonly password: string;
}

export type SaslResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/** RFC 4616 §2: each field is at most 255 octets. */
export const MAX_SASL_FIELD = 255;
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** `334` challenges of LOGIN (the de-facto Username:/Password: prompts, base64). */
export const LOGIN_USERNAME_PROMPT = Buffer.from('Username:').toString('base64');
export const LOGIN_PASSWORD_PROMPT = Buffer.from('Password:').toString('base64');

/** Strict base64 (RFC 4954 §4: a client response is base64, `=` alone is an empty one). */
export function decodeBase64(text: string): Buffer | undefined {
  if (text === '=') return Buffer.alloc(0);
  return text !== '' && BASE64_RE.test(text) ? Buffer.from(text, 'base64') : undefined;
}

/** `[authzid] NUL authcid NUL passwd`, UTF-8, no NUL inside a field (RFC 4616 §2). */
export function parsePlainResponse(response: Buffer): SaslResult<SaslCredentials> {
  const first = response.indexOf(0);
  const second = first === -1 ? -1 : response.indexOf(0, first + 1);
  if (second === -1 || response.indexOf(0, second + 1) !== -1) return { ok: false, reason: 'PLAIN needs authzid NUL authcid NUL password' };
  const fields = [response.subarray(0, first), response.subarray(first + 1, second), response.subarray(second + 1)];
  for (const field of fields) {
    if (field.length > MAX_SASL_FIELD) return { ok: false, reason: `a PLAIN field is longer than ${MAX_SASL_FIELD} octets` };
    if (!isWellFormedUtf8(field)) return { ok: false, reason: 'PLAIN fields must be UTF-8' };
  }
  const [authorizationId, username, password] = fields.map((f) => f.toString('utf8')) as [string, string, string];
  if (username === '' || password === '') return { ok: false, reason: 'PLAIN needs a user name and a password' };
  return { ok: true, value: { mechanism: 'PLAIN', authorizationId, username, password } };
}

/** One LOGIN field (user name or password): base64 of UTF-8 text, at most 255 octets, no NUL. */
export function parseLoginField(response: Buffer, what: 'user name' | 'password'): SaslResult<string> {
  if (response.length === 0) return { ok: false, reason: `LOGIN needs a ${what}` };
  if (response.length > MAX_SASL_FIELD) return { ok: false, reason: `the LOGIN ${what} is longer than ${MAX_SASL_FIELD} octets` };
  if (response.includes(0) || !isWellFormedUtf8(response)) return { ok: false, reason: `the LOGIN ${what} must be UTF-8 without NUL` };
  return { ok: true, value: response.toString('utf8') };
}

function isWellFormedUtf8(bytes: Buffer): boolean {
  return Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes);
}
