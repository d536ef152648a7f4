import { reply, type Reply } from '../protocol/replies.js';
import { REPLY_AUTH_CANCELLED, REPLY_AUTH_UNKNOWN_MECHANISM } from '../protocol/stock-replies.js';
import {
  decodeBase64,
  LOGIN_PASSWORD_PROMPT,
  LOGIN_USERNAME_PROMPT,
  parseLoginField,
  parsePlainResponse,
  type SaslCredentials,
} from '../protocol/sasl.js';

/** What the exchange needs next: send a 334 challenge and read a line, or it is over. */
export type AuthStep =
  | { readonly kind: 'challenge'; readonly reply: Reply }
  | { readonly kind: 'credentials'; readonly credentials: SaslCredentials }
  | { readonly kind: 'failed'; readonly reply: Reply };

const challenge = (text: string): AuthStep => ({ kind: 'challenge', reply: reply(334, null, text) });
const failed = (r: Reply): AuthStep => ({ kind: 'failed', reply: r });
const undecodable = (why: string): AuthStep => failed(reply(501, '5.5.2', `Cannot decode response: ${why}`));

/**
 * One SASL exchange of AUTH (RFC 4954 §4): PLAIN with or without an initial response, and
 * LOGIN (user name, then password, each after a 334 prompt). `*` from the client cancels.
 */
export class AuthExchange {
  readonly #mechanism: 'PLAIN' | 'LOGIN';
  #username: string | undefined;

  private constructor(mechanism: 'PLAIN' | 'LOGIN') {
    this.#mechanism = mechanism;
  }

  /** Starts an exchange; `exchange` is set when a challenge was sent and a line is awaited. */
  static start(mechanism: string, initialResponse: string | undefined): { readonly step: AuthStep; readonly exchange?: AuthExchange } {
    if (mechanism !== 'PLAIN' && mechanism !== 'LOGIN') return { step: failed(REPLY_AUTH_UNKNOWN_MECHANISM) };
    const exchange = new AuthExchange(mechanism);
    if (initialResponse === undefined) {
      return { step: challenge(mechanism === 'PLAIN' ? '' : LOGIN_USERNAME_PROMPT), exchange };
    }
    const step = exchange.next(initialResponse);
    return step.kind === 'challenge' ? { step, exchange } : { step };
  }

  /** The client's response line (CRLF removed). */
  next(line: string): AuthStep {
    if (line === '*') return failed(REPLY_AUTH_CANCELLED);
    const bytes = decodeBase64(line);
    if (bytes === undefined) return undecodable('not base64');
    if (this.#mechanism === 'PLAIN') {
      const parsed = parsePlainResponse(bytes);
      return parsed.ok ? { kind: 'credentials', credentials: parsed.value } : undecodable(parsed.reason);
    }
    if (this.#username === undefined) {
      const username = parseLoginField(bytes, 'user name');
      if (!username.ok) return undecodable(username.reason);
      this.#username = username.value;
      return challenge(LOGIN_PASSWORD_PROMPT);
    }
    const password = parseLoginField(bytes, 'password');
    if (!password.ok) return undecodable(password.reason);
    return { kind: 'credentials', credentials: { mechanism: 'LOGIN', authorizationId: '', username: this.#username, password: password.value } };
  }
}
