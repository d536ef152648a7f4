import type { ReceivedMessage, SessionPolicy } from '../policy.js';
import type { SessionInfo } from '../session-info.js';
import { DataDecoder } from '../wire/data-decoder.js';
import { HeaderCapture } from '../wire/header-capture.js';
import { isThenable } from './policy-call.js';
import type { ProtocolSettings } from './protocol-settings.js';

/** Hears how the policy's body hook (onDataChunk) fares. */
export interface BodyHookListener {
  /** The body hook threw or rejected. */
  bodyHookFailed(error: unknown): void;
  /** Every promise the body hook returned has settled. */
  bodyHookSettled(): void;
}

/**
 * One message's DATA phase: decodes the body, keeps its headers if asked, and streams each
 * piece to the policy, counting the promises the policy returns so the connection can stop
 * reading until they settle. A new phase per message, so a late promise of an earlier
 * message can never touch this one.
 */
export class DataPhase {
  readonly #decoder: DataDecoder;
  readonly #headers: HeaderCapture | undefined;
  readonly #policy: SessionPolicy;
  readonly #session: SessionInfo;
  readonly #listener: BodyHookListener;
  #pending = 0;
  #failed = false;
  #abandoned = false;
  #ended = false;
  /** Octets taken by {@link pushRaw} (BDAT chunks). */
  #rawSize = 0;
  #message: ReceivedMessage | undefined;

  constructor(settings: ProtocolSettings, policy: SessionPolicy, session: SessionInfo, listener: BodyHookListener) {
    const limits = settings.limits;
    this.#policy = policy;
    this.#session = session;
    this.#listener = listener;
    this.#headers = policy.captureHeaders === true ? new HeaderCapture(limits.maxHeaderBytes, settings.headerBudget) : undefined;
    // Without a header capture or a body hook nobody reads the pieces: the decoder only counts them.
    const onBody = this.#headers !== undefined || policy.onDataChunk !== undefined ? (piece: Buffer) => this.#onBody(piece) : undefined;
    this.#decoder = new DataDecoder({ maxBytes: limits.maxMessageSize, onBody });
  }

  /** True while promises returned by the body hook are outstanding. */
  get waiting(): boolean {
    return this.#pending > 0;
  }

  /** True once the terminating CRLF.CRLF was seen. */
  get ended(): boolean {
    return this.#ended;
  }

  /** True when the body hook failed (or timed out): the end of data is answered 451. */
  get failed(): boolean {
    return this.#failed;
  }

  get overflowed(): boolean {
    return this.#decoder.overflowed;
  }

  /** True when the server-wide header budget cut this message's headers. */
  get headersStarved(): boolean {
    return this.#headers?.starved ?? false;
  }

  /** See {@link DataDecoder.push}: -1, or the offset after the terminator. */
  push(chunk: Buffer): number {
    const end = this.#decoder.push(chunk);
    if (end !== -1) this.#ended = true;
    return end;
  }

  /** BDAT chunk octets (RFC 3030): body as sent, no dot-unstuffing; the machine has checked the size limit. */
  pushRaw(piece: Buffer): void {
    this.#rawSize += piece.length;
    this.#onBody(piece);
  }

  /** Gives up on outstanding body-hook promises (they timed out); the message fails. */
  abandon(): void {
    this.#abandoned = true;
    this.#failed = true;
    this.#pending = 0;
  }

  /** Returns the captured header bytes to the server-wide budget. */
  releaseHeaders(): void {
    this.#headers?.release();
  }

  /** The message as the end-of-data hook sees it. */
  message(): ReceivedMessage {
    if (this.#message !== undefined) return this.#message;
    const headers = this.#headers;
    this.#message = { size: this.#decoder.size + this.#rawSize, headers: headers?.result(), headersTruncated: headers?.truncated ?? false };
    return this.#message;
  }

  #onBody(piece: Buffer): void {
    this.#headers?.push(piece);
    const policy = this.#policy;
    if (policy.onDataChunk === undefined || this.#failed) return;
    let result: unknown;
    try {
      result = policy.onDataChunk(piece, this.#session);
    } catch (error) {
      this.#fail(error);
      return;
    }
    if (!isThenable(result)) return;
    this.#pending++;
    result.then(
      () => this.#settled(),
      (error: unknown) => {
        if (!this.#abandoned) this.#fail(error);
        this.#settled();
      },
    );
  }

  #fail(error: unknown): void {
    this.#failed = true;
    this.#listener.bodyHookFailed(error);
  }

  #settled(): void {
    if (this.#abandoned) return;
    this.#pending--;
    if (this.#pending === 0) this.#listener.bodyHookSettled();
  }
}
