import type { EsmtpParams } from './protocol/esmtp-params.js';
import type { MailPath } from './protocol/path.js';
import type { Reply } from './protocol/replies.js';
import type { CloseReason } from './events.js';
import type { SessionInfo } from './session-info.js';
import type { Envelope } from './session/envelope.js';
import type { SaslCredentials } from './protocol/sasl.js';
import type { Extensions } from './session/extensions.js';
import type { PolicyAction } from './policy-action.js';

/**
 * A hook's answer: a reply, undefined for the RFC default (220, 250, 354, ...), or a
 * {@link PolicyAction} (a reply with a delay, a trickle, a close, or a hang).
 */
export type Decision = Reply | PolicyAction | undefined;
export type MaybePromise<T> = T | PromiseLike<T>;

/**
 * From {@link SessionPolicy.onStartTls}: send the 220, then break the handshake: `reset` drops the
 * connection with a TCP RST, `alert` answers the client's hello with a fatal TLS alert
 * (handshake_failure) and closes. For testing a client's opportunistic-TLS fallback.
 */
export interface StartTlsAbort {
  readonly abort: 'reset' | 'alert';
}

/** What the policy learns at the end of DATA. */
export interface ReceivedMessage {
  /** Body octets after dot-unstuffing. */
  readonly size: number;
  /** The header lines, up to `maxHeaderBytes`, when the policy set `captureHeaders`. */
  readonly headers: Buffer | undefined;
  readonly headersTruncated: boolean;
}

/**
 * One connection's hooks. Each may return a reply, nothing (the default reply) or a promise of
 * either; while a promise is pending the connection stops reading. A hook that throws, rejects,
 * returns something that is not a valid reply, or does not settle within `hookTimeoutMs` is
 * answered `451 4.3.0` (`421 4.3.0` for the greeting) and reported as a `hook-error` event.
 * A reply of 421 from any hook closes the connection (RFC 5321 §3.8).
 */
export interface SessionPolicy {
  /**
   * Called at each EHLO: this client's extension set (overrides of the server's), so one server
   * can offer different shapes to different clients. ENHANCEDSTATUSCODES follows the server.
   */
  extensionsFor?(session: SessionInfo): Partial<Extensions> | undefined;
  /** Keep the message's header block for {@link onDataEnd}. */
  readonly captureHeaders?: boolean;
  /** The greeting: undefined gives `220 <hostname> ESMTP ready`; 554 refuses service; 421 closes. */
  onConnect?(session: SessionInfo): MaybePromise<Decision>;
  onHelo?(domain: string, session: SessionInfo): MaybePromise<Decision>;
  onMailFrom?(from: MailPath, params: EsmtpParams, session: SessionInfo): MaybePromise<Decision>;
  onRcptTo?(to: MailPath, params: EsmtpParams, session: SessionInfo): MaybePromise<Decision>;
  /** The reply to DATA: undefined gives 354; a 4xx/5xx refuses the data. */
  onDataStart?(envelope: Envelope, session: SessionInfo): MaybePromise<Decision>;
  /**
   * Each body piece as it arrives, dot-unstuffed. The buffer is only valid during the call:
   * copy what you keep. Returning a promise pauses reading until it settles.
   */
  onDataChunk?(chunk: Buffer, session: SessionInfo): void | PromiseLike<void>;
  /** The reply after the final `.`: undefined gives `250 2.0.0`. Not called when the body was over the size limit. */
  onDataEnd?(message: ReceivedMessage, envelope: Envelope, session: SessionInfo): MaybePromise<Decision>;
  /**
   * LMTP only (RFC 2033 §4.2): one accepted recipient's reply after the data, asked for each in
   * RCPT order after onDataEnd. Undefined (or no hook) gives that recipient onDataEnd's decision.
   */
  onDataEndForRecipient?(message: ReceivedMessage, recipient: MailPath, envelope: Envelope, session: SessionInfo): MaybePromise<Decision>;
  /**
   * STARTTLS (RFC 3207), when the server has a certificate: undefined gives `220 2.0.0` and the
   * handshake; a 4xx/5xx (e.g. `454 4.7.0 TLS not available`) refuses it and the session goes on in plain text.
   */
  onStartTls?(session: SessionInfo): MaybePromise<Decision | StartTlsAbort>;
  /**
   * AUTH (RFC 4954), when the server offers it: undefined gives `235 2.7.0`; `535 5.7.8` refuses the
   * credentials. The password is for this decision only: never log or keep it.
   */
  onAuth?(credentials: SaslCredentials, session: SessionInfo): MaybePromise<Decision>;
  /** Called once when the connection is gone. Errors are reported, never thrown. */
  onClose?(session: SessionInfo, reason: CloseReason): void;
}

/** Called once per connection, before the greeting. A factory that fails gets `421 4.3.0` and a close. */
export type PolicyFactory = (session: SessionInfo) => MaybePromise<SessionPolicy>;

/** The default: accept every sender, recipient and message; discard the bodies. */
export const acceptAllPolicy: PolicyFactory = () => ACCEPT_ALL;
const ACCEPT_ALL: SessionPolicy = Object.freeze({});
