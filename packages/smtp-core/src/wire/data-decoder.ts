const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;
const LINE_START_DOT = Buffer.from('\r\n.', 'latin1');
const CR_BYTE = Buffer.from('\r', 'latin1');

// biome-ignore lint/suspicious/noConstEnum: file-local, so isolatedModules-safe; tsc inlines the states in the per-byte loop
const enum State {
  /** Inside a line. */
  Text,
  /** Just read CR inside a line. */
  CR,
  /** At the start of a line (after CRLF). */
  LineStart,
  /** Read a dot at the start of a line; the dot is withheld. */
  Dot,
  /** Read dot + CR at the start of a line; both withheld. */
  DotCR,
  Done,
}

export interface DataDecoderOptions {
  /** Largest body accepted, in octets after dot-unstuffing. Bytes beyond it are counted and dropped. */
  readonly maxBytes: number;
  /** Receives each piece of body, unstuffed. Pieces are views of the input: copy to keep them. */
  readonly onBody?: ((piece: Buffer) => void) | undefined;
}

/**
 * Decodes the DATA phase (RFC 5321 §4.1.1.4, §4.5.2) incrementally.
 *
 * Only CRLF "." CRLF ends the body: bare LF or bare CR variants (`<LF>.<LF>`, `<CR>.<CR>`,
 * `<LF>.<CRLF>`, `<CRLF>.<LF>`) are body bytes, so no command can be smuggled after them.
 * A dot that starts a line is removed. The body is handed out in pieces as it arrives and is
 * never buffered; past `maxBytes` the decoder keeps scanning for the terminator and drops the
 * bytes, so the session stays in sync and can answer 552.
 */
export class DataDecoder {
  readonly #maxBytes: number;
  readonly #onBody: ((piece: Buffer) => void) | undefined;
  #state: State = State.LineStart;
  #size = 0;
  #overflowed = false;

  constructor(options: DataDecoderOptions) {
    this.#maxBytes = options.maxBytes;
    this.#onBody = options.onBody;
  }

  /** Body octets seen so far (after unstuffing), including any beyond the limit. */
  get size(): number {
    return this.#size;
  }

  /** True once the body has gone past `maxBytes`. */
  get overflowed(): boolean {
    return this.#overflowed;
  }

  get done(): boolean {
    return this.#state === State.Done;
  }

  /**
   * Consumes bytes. Returns -1 when the whole chunk was body (more is needed), or the offset
   * just after the terminating CRLF.CRLF; bytes from that offset on belong to the next command.
   */
  push(chunk: Buffer): number {
    let pos = 0;
    const end = chunk.length;
    while (pos < end) {
      switch (this.#state) {
        case State.Text: {
          const hit = chunk.indexOf(LINE_START_DOT, pos);
          if (hit === -1) {
            this.#emit(chunk, pos, end);
            const last = chunk[end - 1];
            this.#state = last === CR ? State.CR : last === LF && end - pos >= 2 && chunk[end - 2] === CR ? State.LineStart : State.Text;
            return -1;
          }
          this.#emit(chunk, pos, hit + 2);
          pos = hit + 3;
          this.#state = State.Dot;
          break;
        }
        case State.CR: {
          if (chunk[pos] === LF) {
            this.#emit(chunk, pos, pos + 1);
            pos += 1;
            this.#state = State.LineStart;
          } else {
            this.#state = State.Text;
          }
          break;
        }
        case State.LineStart: {
          if (chunk[pos] === DOT) {
            pos += 1;
            this.#state = State.Dot;
          } else {
            this.#state = State.Text;
          }
          break;
        }
        case State.Dot: {
          if (chunk[pos] === CR) {
            pos += 1;
            this.#state = State.DotCR;
          } else {
            // RFC 5321 §4.5.2: a leading dot followed by more text is removed.
            this.#state = State.Text;
          }
          break;
        }
        case State.DotCR: {
          if (chunk[pos] === LF) {
            this.#state = State.Done;
            return pos + 1;
          }
          // ".<CR>x": the dot is dropped, the CR is body, and x is read as if it followed a CR.
          this.#emit(CR_BYTE, 0, 1);
          this.#state = State.CR;
          break;
        }
        case State.Done:
          return pos;
      }
    }
    return -1;
  }

  #emit(source: Buffer, from: number, to: number): void {
    const length = to - from;
    if (length <= 0) return;
    const room = this.#maxBytes - this.#size;
    this.#size += length;
    if (this.#overflowed) return;
    if (length > room) {
      this.#overflowed = true;
      if (room > 0 && this.#onBody !== undefined) this.#onBody(source.subarray(from, from + room));
      return;
    }
    if (this.#onBody !== undefined) this.#onBody(source.subarray(from, to));
  }
}
