import type { Reply } from '../protocol/replies.js';
import type { MutableSessionInfo } from '../session-info.js';
import type { ProtocolSettings } from './protocol-settings.js';
import type { ProtocolTransport } from './protocol-types.js';

/**
 * The replies of a session on their way to the transport. Replies produced from one input
 * chunk are queued and written together (RFC 2920 §3.1), or sooner once maxOutputBufferBytes
 * are queued. Every byte the session sends goes through {@link flush}: the one place that
 * decides when and how queued bytes reach the transport.
 */
export class OutputBuffer {
  readonly #settings: ProtocolSettings;
  readonly #session: MutableSessionInfo;
  readonly #transport: ProtocolTransport;
  /** The first reply queued since the last flush (most flushes write just one), and those after it (made for the first second one). */
  #first: Buffer | undefined;
  #rest: Buffer[] | undefined;
  #bytes = 0;
  #blocked = false;
  #trickle: unknown;

  constructor(settings: ProtocolSettings, session: MutableSessionInfo, transport: ProtocolTransport) {
    this.#settings = settings;
    this.#session = session;
    this.#transport = transport;
  }

  /** True while a reply is trickled out. */
  get trickling(): boolean {
    return this.#trickle !== undefined;
  }

  /** True while the transport's buffer is full (the peer is not reading its replies). */
  get blocked(): boolean {
    return this.#blocked;
  }

  /** Queues a reply; it is written by the next {@link flush}, or now if the queue is full. */
  queue(r: Reply): void {
    const bytes = this.#encode(r);
    if (this.#first === undefined) this.#first = bytes;
    else (this.#rest ??= []).push(bytes);
    this.#bytes += bytes.length;
    if (this.#bytes >= this.#settings.limits.maxOutputBufferBytes) this.flush();
  }

  /** A reply's wire bytes, counted and traced once whichever way it is then written. */
  #encode(r: Reply): Buffer {
    const settings = this.#settings;
    this.#session.countReply(r.code);
    if (settings.trace) settings.emit?.({ type: 'reply', session: this.#session, code: r.code, enhanced: r.enhanced });
    return settings.encoder.encode(r);
  }

  /** Writes everything queued in one transport write. */
  flush(): void {
    let data = this.#first;
    if (data === undefined) return;
    const rest = this.#rest;
    if (rest !== undefined && rest.length > 0) {
      rest.unshift(data);
      data = Buffer.concat(rest, this.#bytes);
      // Truncating also frees the array's slots, so an idle session holds none.
      rest.length = 0;
    }
    this.#first = undefined;
    this.#bytes = 0;
    this.#session.bytesOut += data.length;
    if (!this.#transport.write(data)) this.#blocked = true;
  }

  /**
   * Writes r one byte per transport write, pauseMs apart, after what is queued; the buffer
   * counts as blocked meanwhile (so the session reads nothing), and done() runs after the last byte.
   */
  trickle(r: Reply, pauseMs: number, done: () => void): void {
    this.flush();
    const bytes = this.#encode(r);
    this.#blocked = true;
    let next = 0;
    const step = (): void => {
      this.#trickle = undefined;
      this.#transport.write(bytes.subarray(next, next + 1));
      this.#session.bytesOut++;
      next++;
      if (next < bytes.length) {
        this.#trickle = this.#settings.clock.set(step, pauseMs);
        return;
      }
      this.#blocked = false;
      done();
    };
    step();
  }

  /** The session is gone: no trickled byte follows. */
  cancel(): void {
    if (this.#trickle !== undefined) this.#settings.clock.clear(this.#trickle);
    this.#trickle = undefined;
  }

  /** The transport can take more bytes again; false if it was not blocked (or is trickling). */
  drained(): boolean {
    if (!this.#blocked || this.#trickle !== undefined) return false;
    this.#blocked = false;
    return true;
  }
}
