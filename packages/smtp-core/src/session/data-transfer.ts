import type { ReceivedMessage, SessionPolicy } from '../policy.js';
import type { MutableSessionInfo } from '../session-info.js';
import { BdatChunk } from './bdat-transfer.js';
import { DataPhase, type BodyHookListener } from './data-phase.js';
import type { InputQueue } from './input-queue.js';
import type { ProtocolSettings } from './protocol-settings.js';

/** The session, as its DATA handling sees it. */
export interface DataOwner {
  /** The body hook returned promises: stop reading until they settle (at most hookTimeoutMs). */
  blockOnBodyHook(): void;
  /** The body ended (CRLF.CRLF); `overflowed` when it passed maxMessageSize. */
  messageReceived(size: number, overflowed: boolean): void;
  /** Every octet of the current BDAT chunk has been read. */
  chunkReceived(): void;
  /** Ends the wait for the body hook, if that is what the session waits for (false otherwise). */
  endBodyHookWait(): boolean;
  /** The wait for the body hook is over: read on. */
  readOn(): void;
}

/**
 * A session's DATA handling: the message being received (a {@link DataPhase}) with the waits
 * for its body hook, then the finished message, held with its header bytes until the
 * end-of-data hook has answered.
 */
export class DataTransfer implements BodyHookListener {
  readonly #settings: ProtocolSettings;
  readonly #session: MutableSessionInfo;
  readonly #owner: DataOwner;
  #current: DataPhase | undefined;
  #finished: DataPhase | undefined;
  /** The BDAT chunk being read, and the message its transaction's chunks build (RFC 3030). */
  #chunk: BdatChunk | undefined;
  #chunked: DataPhase | undefined;
  #chunkLast = false;

  constructor(settings: ProtocolSettings, session: MutableSessionInfo, owner: DataOwner) {
    this.#settings = settings;
    this.#session = session;
    this.#owner = owner;
  }

  /** True between the 354 and the end of the body, and while a BDAT chunk is read. */
  get receiving(): boolean {
    return this.#current !== undefined || this.#chunk !== undefined;
  }

  /** The finished message, for the end-of-data hook. */
  get message(): ReceivedMessage | undefined {
    return this.#finished?.message();
  }

  /** The body hook of the finished message failed or timed out: it is answered 451. */
  get failed(): boolean {
    return this.#finished?.failed ?? false;
  }

  /** After the 354: a new message. */
  begin(policy: SessionPolicy): void {
    this.#current = new DataPhase(this.#settings, policy, this.#session, this);
  }

  /**
   * After `BDAT size`: reads `size` octets into the transaction's message (`accept`) or drains
   * them; with `last` the message is finished when the chunk is in.
   */
  beginChunk(policy: SessionPolicy, size: number, accept: boolean, last: boolean): void {
    let sink: DataPhase | undefined;
    if (accept) sink = this.#chunked ??= new DataPhase(this.#settings, policy, this.#session, this);
    this.#chunk = new BdatChunk(size, sink);
    this.#chunkLast = accept && last;
    if (size === 0) this.#chunkDone();
  }

  /** The transaction ended (a reply left the machine with no envelope): a BDAT message in progress is dropped. */
  endChunking(): void {
    if (this.#chunked === undefined || this.#chunk !== undefined) return;
    this.#chunked.releaseHeaders();
    this.#chunked = undefined;
  }

  /** Body bytes; what follows the body's end (pipelined commands) goes back to `input`. */
  feed(chunk: Buffer, input: InputQueue): void {
    const reader = this.#chunk;
    if (reader !== undefined) {
      const taken = reader.take(chunk);
      if (taken < chunk.length) input.unshift(chunk.subarray(taken));
      if (reader.sink?.waiting === true) this.#owner.blockOnBodyHook();
      else if (reader.done) this.#chunkDone();
      return;
    }
    const data = this.#current as DataPhase;
    const end = data.push(chunk);
    if (end !== -1 && end < chunk.length) input.unshift(chunk.subarray(end));
    if (data.waiting) this.#owner.blockOnBodyHook();
    else if (end !== -1) this.#finish();
  }

  /** The body hook's promises timed out: the message fails, and the session reads on. */
  bodyHookTimedOut(): void {
    (this.#current ?? this.#chunked)?.abandon();
    this.#readOn();
  }

  bodyHookFailed(error: unknown): void {
    this.#settings.emit?.({ type: 'hook-error', session: this.#session, hook: 'data-chunk', error });
  }

  bodyHookSettled(): void {
    if (this.#owner.endBodyHookWait()) this.#readOn();
  }

  #readOn(): void {
    if (this.#current?.ended === true) this.#finish();
    else if (this.#chunk?.done === true) this.#chunkDone();
    this.#owner.readOn();
  }

  /** The body ended: it becomes the finished message, and the session asks the end-of-data hook. */
  #finish(): void {
    const data = this.#current as DataPhase;
    this.#current = undefined;
    const { emit, limits } = this.#settings;
    if (data.overflowed) emit?.({ type: 'limit', session: this.#session, limit: 'maxMessageSize', value: limits.maxMessageSize });
    this.#reportStarved(data);
    const message = data.message(); // taken now: releasing the header bytes below would empty it
    this.#finished = data;
    // An oversized message is answered 552 without asking the policy: nothing holds its headers.
    if (data.overflowed) this.releaseMessage();
    this.#owner.messageReceived(message.size, data.overflowed);
  }

  /** A chunk is in: after LAST its message is the finished one, for the end-of-data hook. */
  #chunkDone(): void {
    this.#chunk = undefined;
    if (this.#chunkLast && this.#chunked !== undefined) {
      this.#finished = this.#chunked;
      this.#chunked = undefined;
      this.#reportStarved(this.#finished);
      this.#finished.message();
    }
    this.#owner.chunkReceived();
  }

  #reportStarved(data: DataPhase): void {
    if (data.headersStarved) this.#settings.emit?.({ type: 'limit', session: this.#session, limit: 'maxHeaderBytesTotal', value: this.#settings.headerBudget.available });
  }

  /** The end-of-data hook has answered: the message's header bytes go back to the budget. */
  releaseMessage(): void {
    this.#finished?.releaseHeaders();
    this.#finished = undefined;
  }

  /** The session ended: both messages let go of their header bytes. */
  releaseAll(): void {
    this.#current?.releaseHeaders();
    this.#current = undefined;
    this.#chunk = undefined;
    this.#chunked?.releaseHeaders();
    this.#chunked = undefined;
    this.releaseMessage();
  }
}
