import type { HeaderBudget } from './header-budget.js';

const CR = 0x0d;
const HEADER_END = Buffer.from('\r\n\r\n', 'latin1');

/**
 * Keeps the header block of a message (RFC 5322 §2.1: up to the first empty line), up to a
 * byte cap, while the body streams past. Holds copies, so it never pins socket buffers.
 */
export class HeaderCapture {
  readonly #maxBytes: number;
  readonly #budget: HeaderBudget | undefined;
  #parts: Buffer[] = [];
  #reserved = 0;
  #starved = false;
  #bytes = 0;
  #done = false;
  #truncated = false;
  /** Bytes of CRLFCRLF matched at the end of what was seen; the message start counts as a CRLF. */
  #match = 2;

  /** `budget`, when given, is shared with other captures; the capture is cut when it runs out. */
  constructor(maxBytes: number, budget?: HeaderBudget) {
    this.#maxBytes = maxBytes;
    this.#budget = budget;
  }

  /** True when the shared budget, not this message's cap, cut the headers. */
  get starved(): boolean {
    return this.#starved;
  }

  /** Gives the bytes held back to the shared budget. The capture keeps its result. */
  release(): void {
    this.#budget?.free(this.#reserved);
    this.#reserved = 0;
  }

  /** True once the empty line (or the cap) was reached: later pieces are ignored. */
  get done(): boolean {
    return this.#done;
  }

  /** True when the header block was longer than the cap and was cut. */
  get truncated(): boolean {
    return this.#truncated;
  }

  push(piece: Buffer): void {
    if (this.#done || piece.length === 0) return;
    const end = this.#findEnd(piece);
    this.#take(piece, end === -1 ? piece.length : end);
    if (end !== -1) this.#done = true;
  }

  /** The header lines (each ending in CRLF, without the empty line), or undefined when there are none. */
  result(): Buffer | undefined {
    if (this.#bytes === 0) return undefined;
    let joined = this.#parts.length === 1 ? (this.#parts[0] as Buffer) : Buffer.concat(this.#parts);
    this.#parts = [joined];
    if (this.#done && !this.#truncated && joined.length >= 2) joined = joined.subarray(0, joined.length - 2);
    return joined.length === 0 ? undefined : joined;
  }

  /** Offset in `piece` just after the empty line, or -1. Each byte is looked at once. */
  #findEnd(piece: Buffer): number {
    let i = 0;
    while (this.#match > 0 && i < piece.length) {
      const byte = piece[i] as number;
      i++;
      if (byte === HEADER_END[this.#match]) {
        this.#match++;
        if (this.#match === 4) return i;
      } else {
        this.#match = byte === CR ? 1 : 0;
      }
    }
    if (i >= piece.length) return -1;
    const hit = piece.indexOf(HEADER_END, i);
    if (hit !== -1) return hit + 4;
    this.#match = trailingMatch(piece, i);
    return -1;
  }

  #take(piece: Buffer, count: number): void {
    const room = this.#maxBytes - this.#bytes;
    if (count > room) {
      this.#truncated = true;
      this.#done = true;
      count = room;
    }
    if (this.#budget !== undefined && count > 0) {
      const granted = this.#budget.reserve(count);
      this.#reserved += granted;
      if (granted < count) {
        this.#starved = true;
        this.#truncated = true;
        this.#done = true;
        count = granted;
      }
    }
    if (count > 0) {
      this.#parts.push(Buffer.from(piece.subarray(0, count)));
      this.#bytes += count;
    }
  }
}

/** How much of CRLFCRLF the bytes `piece[from..]` end with (0..3). */
function trailingMatch(piece: Buffer, from: number): number {
  for (let k = 3; k > 0; k--) {
    if (piece.length - from < k) continue;
    if (piece.subarray(piece.length - k).equals(HEADER_END.subarray(0, k))) return k;
  }
  return 0;
}
