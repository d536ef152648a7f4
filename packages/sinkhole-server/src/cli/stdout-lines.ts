import { writeSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { toJsonLine } from '../log/json-line.js';

/** In-process backlog past which new lines are dropped (and counted) rather than held. */
export const MAX_LOG_BACKLOG_BYTES = 16 * 1024 * 1024;
/** How long a line may wait for others to share its write. */
export const LOG_FLUSH_INTERVAL_MS = 20;
/** Pending bytes that are written at once, whatever the interval. */
export const LOG_FLUSH_BYTES = 64 * 1024;

/** Bytes of the block that pending lines are encoded into; a new block is taken when one is full. */
const BLOCK_BYTES = 2 * LOG_FLUSH_BYTES;
/** UTF-8 takes at most 3 bytes per UTF-16 code unit, so a line of n units always fits in 3n bytes. */
const MAX_BYTES_PER_UNIT = 3;

/**
 * Log lines to a stream (stdout), written in batches: lines logged within 20 ms (or until
 * 64 KiB are pending) go out in one write, so a busy server makes one system call per batch
 * rather than one per line or per event-loop turn (with one connection per message, that
 * write was a fifth of the server's CPU time). Each line is encoded into a block of bytes as
 * it comes, so the string dies young instead of being held (and promoted to V8's old space)
 * for the 20 ms: at 15,000 messages/s that was 15 MB of peak RSS. Bytes handed to the stream
 * are never written again; the next batch goes after them in the same block. A stream that
 * stops taking data (a stuck log pipe) cannot grow the process without bound: past
 * MAX_LOG_BACKLOG_BYTES lines are dropped and then reported.
 */
export class BufferedLines {
  readonly #stream: Writable;
  readonly #maxBacklog: number;
  readonly #reuse: boolean;
  #block = Buffer.alloc(0);
  /** Pending bytes are #block[#start, #end). */
  #start = 0;
  #end = 0;
  #timer: NodeJS.Timeout | undefined;
  #dropped = 0;

  /**
   * `copiesWhenDrained`: the stream has copied every byte it took once its writableLength is 0
   * again (Node's stdout: a file, pipe or TTY, written synchronously on Linux). The block is
   * then refilled from its start instead of a new one being taken: a busy server otherwise
   * drops a 128 KiB block every few hundred lines, held (outside V8's heap) until a full
   * collection, which was up to 30 MB of peak RSS. Never for a stream that may keep the
   * chunks themselves (a PassThrough, a test's collector).
   */
  constructor(stream: Writable, maxBacklogBytes = MAX_LOG_BACKLOG_BYTES, copiesWhenDrained = false) {
    this.#stream = stream;
    this.#maxBacklog = maxBacklogBytes;
    this.#reuse = copiesWhenDrained;
  }

  readonly write = (line: string): void => {
    if (this.#stream.writableLength > this.#maxBacklog) {
      this.#dropped++;
      return;
    }
    const worstCase = line.length * MAX_BYTES_PER_UNIT;
    if (worstCase > this.#block.length - this.#end) {
      if (worstCase > BLOCK_BYTES) {
        // A very long line (accept-log headers) goes out as it is, after what is pending.
        this.#writeOut();
        this.#stream.write(line);
        return;
      }
      this.#newBlock();
    }
    this.#end += this.#block.write(line, this.#end);
    if (this.#end - this.#start >= LOG_FLUSH_BYTES) this.#writeOut();
    else this.#timer ??= setTimeout(this.#writeOut, LOG_FLUSH_INTERVAL_MS);
  };

  /** Resolves once every line is out of the process (stdout to a pipe is asynchronous). */
  flush(): Promise<void> {
    this.#writeOut();
    const stream = this.#stream;
    if (stream.writableLength === 0 || stream.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        stream.off('drain', done);
        stream.off('error', done);
        stream.off('close', done);
        resolve();
      };
      stream.on('drain', done);
      stream.on('error', done);
      stream.on('close', done);
    });
  }

  /** Last resort at process exit: whatever is still pending, written synchronously to fd. */
  flushSync(fd: number): void {
    if (this.#end === this.#start) return;
    const start = this.#start;
    this.#start = this.#end;
    try {
      writeSync(fd, this.#block, start, this.#end - start);
    } catch {
      // Nowhere left to report it.
    }
  }

  /** Moves the pending bytes (if any) to the start of a fresh block. */
  #newBlock(): void {
    const block = Buffer.allocUnsafeSlow(BLOCK_BYTES);
    const pending = this.#block.copy(block, 0, this.#start, this.#end);
    this.#block = block;
    this.#start = 0;
    this.#end = pending;
  }

  readonly #writeOut = (): void => {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#dropped > 0 && this.#stream.writableLength <= this.#maxBacklog / 2) {
      // The drops came before the lines now pending.
      this.#stream.write(toJsonLine({ time: new Date().toISOString(), level: 'warn', msg: 'log-lines-dropped', count: this.#dropped }));
      this.#dropped = 0;
    }
    if (this.#end === this.#start) return;
    const bytes = this.#block.subarray(this.#start, this.#end);
    this.#start = this.#end;
    this.#stream.write(bytes);
    if (this.#reuse && this.#stream.writableLength === 0) {
      this.#start = 0;
      this.#end = 0;
    }
  };
}
