const CR = 0x0d;
const LF = 0x0a;

/** Returned by {@link LineFramer.next} for a line that exceeded the limit; its bytes were dropped. */
export const LINE_TOO_LONG: unique symbol = Symbol('LINE_TOO_LONG');
export type FramedLine = Buffer | typeof LINE_TOO_LONG;

/** A complete line as {@link LineFramer.nextLine} returns it: `bytes[start..end)`, CRLF excluded. */
export interface LineRange {
  readonly bytes: Buffer;
  readonly start: number;
  readonly end: number;
}
const NO_BYTES = Buffer.alloc(0);

export interface LineFramerOptions {
  /** Longest accepted line in octets, CRLF included (RFC 5321 §4.5.3.1.4 allows 512 at minimum). */
  readonly maxLineLength: number;
}

/**
 * Splits a byte stream into CRLF-terminated command lines.
 *
 * Only CRLF ends a line (a bare LF is ordinary data), so a command can never be smuggled in
 * behind a bare LF. Each byte is scanned once: a partial line is kept as a list of pieces and
 * joined only when its CRLF arrives, so a peer writing one byte at a time costs linear work.
 * A line longer than the limit is dropped up to its CRLF and reported once as LINE_TOO_LONG,
 * which keeps the session in sync while bounding memory to the limit.
 */
export class LineFramer {
  readonly #maxLineLength: number;
  #chunk: Buffer | null = null;
  #lineStart = 0;
  #scanFrom = 0;
  /** A partial line's pieces; made for its first piece (most lines arrive whole). */
  #pieces: Buffer[] | undefined;
  #pieceBytes = 0;
  /** Whether the last byte before the current chunk (of this line) was CR. */
  #pendingCR = false;
  #discarding = false;
  #scanned = 0;
  /** The range nextLine returns, rewritten for each line: a command costs no Buffer view. */
  readonly #line: { bytes: Buffer; start: number; end: number } = { bytes: NO_BYTES, start: 0, end: 0 };

  constructor(options: LineFramerOptions) {
    this.#maxLineLength = options.maxLineLength;
  }

  /** Bytes held for a line not yet complete (never more than the limit). */
  get bufferedBytes(): number {
    return this.#pieceBytes + (this.#chunk === null ? 0 : this.#chunk.length - this.#lineStart);
  }

  /** Bytes examined so far; never more than the bytes pushed (each byte is scanned once). */
  get scannedBytes(): number {
    return this.#scanned;
  }

  /** True when every pushed byte has been returned as a line (nothing partial, nothing unread). */
  get isEmpty(): boolean {
    return this.bufferedBytes === 0 && !this.#discarding;
  }

  /** Hands a new chunk to the framer. Call only after {@link next} returned null. */
  push(chunk: Buffer): void {
    if (this.#chunk !== null) throw new Error('LineFramer.push called before the previous chunk was consumed');
    if (chunk.length === 0) return;
    this.#chunk = chunk;
    this.#lineStart = 0;
    this.#scanFrom = 0;
  }

  /** The next complete line without its CRLF, LINE_TOO_LONG, or null when more bytes are needed. */
  next(): FramedLine | null {
    const line = this.nextLine();
    return line === null || line === LINE_TOO_LONG ? line : line.bytes.subarray(line.start, line.end);
  }

  /**
   * As {@link next}, the line as a range of the bytes pushed (or of a joined copy), valid until
   * the framer is called again.
   */
  nextLine(): LineRange | typeof LINE_TOO_LONG | null {
    const chunk = this.#chunk;
    if (chunk === null) return null;
    for (;;) {
      const lf = chunk.indexOf(LF, this.#scanFrom);
      this.#scanned += (lf === -1 ? chunk.length : lf + 1) - this.#scanFrom;
      if (lf === -1) {
        this.#keepPartial(chunk);
        return null;
      }
      const crBefore = lf > this.#lineStart ? chunk[lf - 1] === CR : this.#pendingCR;
      if (!crBefore) {
        this.#scanFrom = lf + 1;
        if (!this.#discarding && this.#pieceBytes + (this.#scanFrom - this.#lineStart) > this.#maxLineLength) {
          this.#startDiscarding();
        }
        continue;
      }
      return this.#completeLine(chunk, lf);
    }
  }

  /**
   * Swaps the chunk being framed for a copy of its unread bytes, if it shares memory with
   * `source` (whose owner may overwrite it once the call that handed it over returns).
   */
  detach(source: Buffer): void {
    this.#line.bytes = NO_BYTES;
    const chunk = this.#chunk;
    if (chunk === null || !overlaps(chunk, source)) return;
    this.#chunk = Buffer.from(chunk.subarray(this.#lineStart));
    this.#scanFrom -= this.#lineStart;
    this.#lineStart = 0;
  }

  /**
   * Removes and returns every byte not yet returned as a line (used when the session switches
   * to DATA, whose bytes belong to the data decoder), or null when there are none.
   */
  takeRest(): Buffer | null {
    const chunk = this.#chunk;
    const tail = chunk === null || this.#lineStart >= chunk.length ? undefined : chunk.subarray(this.#lineStart);
    const pieces = this.#pieces;
    this.#reset();
    this.#chunk = null;
    if (pieces === undefined) return tail ?? null;
    if (tail === undefined) return pieces.length === 1 ? (pieces[0] as Buffer) : Buffer.concat(pieces);
    return Buffer.concat([...pieces, tail]);
  }

  #completeLine(chunk: Buffer, lf: number): LineRange | typeof LINE_TOO_LONG {
    const length = this.#pieceBytes + (lf + 1 - this.#lineStart);
    const tooLong = this.#discarding || length > this.#maxLineLength;
    let line: LineRange | typeof LINE_TOO_LONG = LINE_TOO_LONG;
    if (!tooLong) {
      line = this.#line;
      if (this.#pieces === undefined) {
        this.#line.bytes = chunk;
        this.#line.start = this.#lineStart;
        this.#line.end = lf - 1;
      } else {
        // The CR may sit at the end of the previous piece when the CRLF straddles chunks.
        const joined = Buffer.concat([...this.#pieces, chunk.subarray(this.#lineStart, lf + 1)]);
        this.#line.bytes = joined;
        this.#line.start = 0;
        this.#line.end = joined.length - 2;
      }
    }
    this.#reset();
    this.#lineStart = lf + 1;
    this.#scanFrom = lf + 1;
    if (this.#lineStart >= chunk.length) this.#chunk = null;
    return line;
  }

  #keepPartial(chunk: Buffer): void {
    const rest = chunk.subarray(this.#lineStart);
    this.#chunk = null;
    if (rest.length === 0) return;
    this.#pendingCR = rest[rest.length - 1] === CR;
    if (this.#discarding) return;
    if (this.#pieceBytes + rest.length > this.#maxLineLength) {
      this.#startDiscarding();
      return;
    }
    // Copy so a short partial line does not pin a large socket buffer in memory.
    (this.#pieces ??= []).push(Buffer.from(rest));
    this.#pieceBytes += rest.length;
  }

  #startDiscarding(): void {
    this.#discarding = true;
    this.#pieces = undefined;
    this.#pieceBytes = 0;
  }

  #reset(): void {
    this.#pieces = undefined;
    this.#pieceBytes = 0;
    this.#pendingCR = false;
    this.#discarding = false;
  }
}

/** True when the two buffers share bytes of one memory block. */
export function overlaps(a: Buffer, b: Buffer): boolean {
  return a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.length && b.byteOffset < a.byteOffset + a.length;
}
