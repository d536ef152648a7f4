import type { Command } from '../protocol/command.js';
import type { Reply } from '../protocol/replies.js';
import type { SaslCredentials, SaslMechanism } from '../protocol/sasl.js';
import * as R from '../protocol/stock-replies.js';
import { AuthExchange, type AuthStep } from './auth-exchange.js';

export interface SecurityConfig {
  /** RFC 3207: STARTTLS is offered (a certificate is configured and the extension not hidden). */
  readonly starttls?: boolean | undefined;
  /** MAIL, RCPT, DATA, BDAT, VRFY and AUTH get 530 5.7.0 until TLS is active (RFC 3207 §4). */
  readonly tlsRequired?: boolean | undefined;
  /** RFC 4954: AUTH PLAIN LOGIN is offered. */
  readonly auth?: boolean | undefined;
}

/** The identity a successful AUTH established; what may be logged (never the credentials). */
export interface AuthInfo {
  readonly mechanism: SaslMechanism;
  /** PLAIN's authorization identity; '' when the client sent none (and for LOGIN). */
  readonly authorizationId: string;
}

export type SecurityResult =
  | { readonly kind: 'reply'; readonly reply: Reply; readonly error?: boolean }
  | { readonly kind: 'ask-starttls' }
  | { readonly kind: 'ask-auth'; readonly credentials: SaslCredentials };

const GATED = new Set<Command['verb']>(['MAIL', 'RCPT', 'DATA', 'BDAT', 'VRFY', 'AUTH']);

/**
 * The session's TLS and AUTH state (RFC 3207, RFC 4954), apart from the transaction rules:
 * whether TLS is active, who authenticated, and the SASL exchange in progress.
 */
export class SessionSecurity {
  readonly #config: SecurityConfig;
  #tls = false;
  #auth: AuthInfo | undefined;
  #exchange: AuthExchange | undefined;

  constructor(config: SecurityConfig) {
    this.#config = config;
  }

  get tls(): boolean {
    return this.#tls;
  }
  get auth(): AuthInfo | undefined {
    return this.#auth;
  }
  /** True while a 334 challenge awaits the client's line. */
  get exchanging(): boolean {
    return this.#exchange !== undefined;
  }
  /** STARTTLS goes into this EHLO reply. */
  get offerStartTls(): boolean {
    return this.#config.starttls === true && !this.#tls;
  }
  /** AUTH goes into this EHLO reply: not before TLS when TLS is required, not once authenticated. */
  get offerAuth(): boolean {
    return this.#config.auth === true && (this.#tls || this.#config.tlsRequired !== true);
  }

  /** The 530 a command gets before STARTTLS under `tlsRequired`, or undefined. */
  gate(verb: Command['verb']): Reply | undefined {
    return this.#config.tlsRequired === true && !this.#tls && GATED.has(verb) ? R.REPLY_TLS_REQUIRED : undefined;
  }

  starttls(): SecurityResult {
    if (this.#config.starttls !== true) return { kind: 'reply', reply: R.REPLY_NOT_IMPLEMENTED, error: true };
    if (this.#tls) return { kind: 'reply', reply: R.REPLY_TLS_ACTIVE, error: true };
    return { kind: 'ask-starttls' };
  }

  /** RFC 3207 §4.2: after the handshake the server forgets everything the client said before it. */
  tlsStarted(): void {
    this.#tls = true;
    this.#auth = undefined;
    this.#exchange = undefined;
  }

  authCommand(mechanism: string, initialResponse: string | undefined, inTransaction: boolean): SecurityResult {
    if (this.#config.auth !== true) return { kind: 'reply', reply: R.REPLY_NOT_IMPLEMENTED, error: true };
    if (this.#auth !== undefined) return { kind: 'reply', reply: R.REPLY_AUTH_ALREADY, error: true };
    if (inTransaction) return { kind: 'reply', reply: R.REPLY_AUTH_IN_TRANSACTION, error: true };
    const started = AuthExchange.start(mechanism, initialResponse);
    this.#exchange = started.exchange;
    return this.#result(started.step);
  }

  /** The client's answer to a 334 challenge. */
  authLine(line: string): SecurityResult {
    const exchange = this.#exchange;
    if (exchange === undefined) throw new Error('SessionSecurity.authLine without an exchange');
    const step = exchange.next(line);
    if (step.kind !== 'challenge') this.#exchange = undefined;
    return this.#result(step);
  }

  /** A response line was too long: the exchange is over. */
  cancelExchange(): void {
    this.#exchange = undefined;
  }

  /** The policy accepted the credentials. */
  authenticated(credentials: SaslCredentials): void {
    this.#auth = { mechanism: credentials.mechanism, authorizationId: credentials.authorizationId };
  }

  #result(step: AuthStep): SecurityResult {
    switch (step.kind) {
      case 'challenge':
        return { kind: 'reply', reply: step.reply };
      case 'failed':
        return { kind: 'reply', reply: step.reply, error: true };
      case 'credentials':
        return { kind: 'ask-auth', credentials: step.credentials };
    }
  }
}
