import type { DataPhase } from './data-phase.js';

/**
 * One BDAT chunk being read (RFC 3030 §2): exactly `size` octets after the command line, taken
 * as raw body octets (never framed as commands, no dot-unstuffing) into the transaction's
 * message, or drained when the chunk was refused. Drained octets are dropped as they arrive,
 * so a refused or oversized chunk is never held in memory.
 */
export class BdatChunk {
  readonly #sink: DataPhase | undefined;
  #remaining: number;

  constructor(size: number, sink: DataPhase | undefined) {
    this.#remaining = size;
    this.#sink = sink;
  }

  /** True once every octet of the chunk has been read. */
  get done(): boolean {
    return this.#remaining === 0;
  }

  /** The message the chunk's octets go to; undefined while draining. */
  get sink(): DataPhase | undefined {
    return this.#sink;
  }

  /** Takes this chunk's octets from the front of `input`; returns how many (the rest is what the client sent next). */
  take(input: Buffer): number {
    const taken = Math.min(this.#remaining, input.length);
    this.#remaining -= taken;
    if (taken > 0) this.#sink?.pushRaw(taken === input.length ? input : input.subarray(0, taken));
    return taken;
  }
}
