import { LineFramer, overlaps, type LINE_TOO_LONG, type LineRange } from '../wire/line-framer.js';
import type { ProtocolTransport } from './protocol-types.js';

/**
 * Bytes read from the peer and not yet handled: whole chunks, and the line framer that cuts
 * command lines out of them (in DATA the session takes whole chunks instead); and whether
 * the transport reads from the peer at all.
 */
export class InputQueue {
  readonly #framer: LineFramer;
  /**
   * The oldest whole chunk not yet handed on, then the others. Most of the time there is one
   * at most, so it has a field of its own: a session makes (and keeps) an array only once
   * chunks queue up behind a pending hook.
   */
  #head: Buffer | undefined;
  #more: Buffer[] | undefined;
  readonly #transport: ProtocolTransport;
  #paused = false;

  constructor(maxLineLength: number, transport: ProtocolTransport) {
    this.#framer = new LineFramer({ maxLineLength });
    this.#transport = transport;
  }

  /** Stops (true) or restarts (false) reading from the peer; the transport hears of changes only. */
  pause(paused: boolean): void {
    if (paused === this.#paused) return;
    this.#paused = paused;
    this.#transport.pauseReading(paused);
  }

  /** The transport's stream changed (STARTTLS): it reads until paused again. */
  forgetPause(): void {
    this.#paused = false;
  }

  /** True when no whole chunk waits (the framer may still hold part of a line). */
  get empty(): boolean {
    return this.#head === undefined;
  }

  push(chunk: Buffer): void {
    if (this.#head === undefined) this.#head = chunk;
    else (this.#more ??= []).push(chunk);
  }

  /** The next command line (valid until the next call), or null until more bytes arrive. */
  nextLine(): LineRange | typeof LINE_TOO_LONG | null {
    for (;;) {
      const line = this.#framer.nextLine();
      if (line !== null) return line;
      const chunk = this.nextChunk();
      if (chunk === undefined) return null;
      this.#framer.push(chunk);
    }
  }

  /** The next chunk for the DATA decoder. */
  nextChunk(): Buffer | undefined {
    const chunk = this.#head;
    this.#head = this.#more?.shift();
    return chunk;
  }

  /** Puts bytes read ahead (after a body's end) back in front. */
  unshift(rest: Buffer | undefined): void {
    if (rest === undefined) return;
    if (this.#head !== undefined) (this.#more ??= []).unshift(this.#head);
    this.#head = rest;
  }

  /** After the 354: what the framer holds beyond the DATA line belongs to the body. */
  switchToData(): void {
    this.unshift(this.#framer.takeRest() ?? undefined);
  }

  /**
   * After STARTTLS's 220: drops every byte read so far, in the framer too. Plain text the client
   * pipelined behind STARTTLS must never be taken as commands of the TLS session (CVE-2011-0411).
   */
  discardPlaintext(): void {
    this.clear();
    this.#framer.takeRest();
  }

  /**
   * The caller may reuse `source` once its receive() returns: whatever is still queued from it
   * (a whole chunk held while a hook is pending, the rest of one, the line framer's place in one)
   * is copied now, only the bytes not yet consumed.
   */
  release(source: Buffer): void {
    this.#framer.detach(source);
    if (this.#head !== undefined && overlaps(this.#head, source)) this.#head = Buffer.from(this.#head);
    const more = this.#more;
    if (more === undefined) return;
    for (let i = 0; i < more.length; i++) {
      const chunk = more[i] as Buffer;
      if (overlaps(chunk, source)) more[i] = Buffer.from(chunk);
    }
  }

  /** Drops everything queued (the session ended); bytes still in the framer are never read again. */
  clear(): void {
    this.#head = undefined;
    if (this.#more !== undefined) this.#more.length = 0;
  }
}
