import type { ReceivedMessage } from '../policy.js';
import { DataDecoder } from '../wire/data-decoder.js';
import type { HeaderBudget } from '../wire/header-budget.js';
import { HeaderCapture } from '../wire/header-capture.js';
import { isThenable } from './policy-call.js';

export interface DataPhaseOptions {
  readonly maxBytes: number;
  /** Header bytes to keep, or undefined to keep none. */
  readonly captureHeaderBytes: number | undefined;
  /** Shared by every capture of the server. */
  readonly headerBudget: HeaderBudget | undefined;
  /** The policy's body hook, if any; a returned promise is waited for. */
  readonly onChunk: ((chunk: Buffer) => unknown) | undefined;
  /** The body hook threw or rejected. */
  readonly onChunkError: (error: unknown) => void;
  /** Every promise the body hook returned has settled. */
  readonly onSettled: () => void;
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
  readonly #options: DataPhaseOptions;
  #pending = 0;
  #failed = false;
  #abandoned = false;

  constructor(options: DataPhaseOptions) {
    this.#options = options;
    this.#headers = options.captureHeaderBytes === undefined ? undefined : new HeaderCapture(options.captureHeaderBytes, options.headerBudget);
    this.#decoder = new DataDecoder({ maxBytes: options.maxBytes, onBody: (piece) => this.#onBody(piece) });
  }

  /** True while promises returned by the body hook are outstanding. */
  get waiting(): boolean {
    return this.#pending > 0;
  }

  /** True when the body hook failed (or timed out): the end of data is answered 451. */
  get failed(): boolean {
    return this.#failed;
  }

  get overflowed(): boolean {
    return this.#decoder.overflowed;
  }

  /** See {@link DataDecoder.push}: -1, or the offset after the terminator. */
  push(chunk: Buffer): number {
    return this.#decoder.push(chunk);
  }

  /** Gives up on outstanding body-hook promises (they timed out); the message fails. */
  abandon(): void {
    this.#abandoned = true;
    this.#failed = true;
    this.#pending = 0;
  }

  /** True when the server-wide header budget cut this message's headers. */
  get headersStarved(): boolean {
    return this.#headers?.starved ?? false;
  }

  /** Returns the captured header bytes to the server-wide budget. */
  releaseHeaders(): void {
    this.#headers?.release();
  }

  message(): ReceivedMessage {
    const headers = this.#headers;
    return { size: this.#decoder.size, headers: headers?.result(), headersTruncated: headers?.truncated ?? false };
  }

  #onBody(piece: Buffer): void {
    this.#headers?.push(piece);
    const onChunk = this.#options.onChunk;
    if (onChunk === undefined || this.#failed) return;
    let result: unknown;
    try {
      result = onChunk(piece);
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
    this.#options.onChunkError(error);
  }

  #settled(): void {
    if (this.#abandoned) return;
    this.#pending--;
    if (this.#pending === 0) this.#options.onSettled();
  }
}
