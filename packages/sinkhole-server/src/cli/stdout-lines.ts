import { writeSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { toJsonLine } from '../log/json-line.js';

/** In-process backlog past which new lines are dropped (and counted) rather than held. */
export const MAX_LOG_BACKLOG_BYTES = 16 * 1024 * 1024;
/** How long a line may wait for others to share its write. */
export const LOG_FLUSH_INTERVAL_MS = 20;
/** Pending bytes that are written at once, whatever the interval. */
export const LOG_FLUSH_BYTES = 64 * 1024;

/**
 * Log lines to a stream (stdout), written in batches: lines logged within 20 ms (or until
 * 64 KiB are pending) go out in one write, so a busy server makes one system call per batch
 * rather than one per line or per event-loop turn (with one connection per message, that
 * write was a fifth of the server's CPU time). A stream that stops taking data (a stuck log pipe) cannot grow the
 * process without bound: past MAX_LOG_BACKLOG_BYTES lines are dropped and then reported.
 */
export class BufferedLines {
  readonly #stream: Writable;
  readonly #maxBacklog: number;
  #pending: string[] = [];
  #pendingBytes = 0;
  #timer: NodeJS.Timeout | undefined;
  #dropped = 0;

  constructor(stream: Writable, maxBacklogBytes = MAX_LOG_BACKLOG_BYTES) {
    this.#stream = stream;
    this.#maxBacklog = maxBacklogBytes;
  }

  readonly write = (line: string): void => {
    if (this.#stream.writableLength > this.#maxBacklog) {
      this.#dropped++;
      return;
    }
    this.#pending.push(line);
    this.#pendingBytes += line.length;
    if (this.#pendingBytes >= LOG_FLUSH_BYTES) this.#writeOut();
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
    if (this.#pending.length === 0) return;
    const text = this.#pending.join('');
    this.#pending = [];
    this.#pendingBytes = 0;
    try {
      writeSync(fd, text);
    } catch {
      // Nowhere left to report it.
    }
  }

  readonly #writeOut = (): void => {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#dropped > 0 && this.#stream.writableLength <= this.#maxBacklog / 2) {
      // The drops came before the lines now pending.
      this.#pending.unshift(toJsonLine({ time: new Date().toISOString(), level: 'warn', msg: 'log-lines-dropped', count: this.#dropped }));
      this.#dropped = 0;
    }
    if (this.#pending.length === 0) return;
    const text = this.#pending.length === 1 ? (this.#pending[0] as string) : this.#pending.join('');
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#stream.write(text);
  };
}
