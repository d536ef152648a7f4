import { writeSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { toJsonLine } from '../log/json-line.js';

/** In-process backlog past which new lines are dropped (and counted) rather than held. */
export const MAX_LOG_BACKLOG_BYTES = 16 * 1024 * 1024;

/**
 * Log lines to a stream (stdout), written in batches: lines logged in one turn of the
 * event loop go out in one write, so a busy server makes one system call per turn rather
 * than one per line. A stream that stops taking data (a stuck log pipe) cannot grow the
 * process without bound: past MAX_LOG_BACKLOG_BYTES lines are dropped and then reported.
 */
export class BufferedLines {
  readonly #stream: Writable;
  readonly #maxBacklog: number;
  #pending: string[] = [];
  #scheduled = false;
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
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#writeOut);
    }
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
    try {
      writeSync(fd, text);
    } catch {
      // Nowhere left to report it.
    }
  }

  readonly #writeOut = (): void => {
    this.#scheduled = false;
    if (this.#dropped > 0 && this.#stream.writableLength <= this.#maxBacklog / 2) {
      // The drops came before the lines now pending.
      this.#pending.unshift(toJsonLine({ time: new Date().toISOString(), level: 'warn', msg: 'log-lines-dropped', count: this.#dropped }));
      this.#dropped = 0;
    }
    if (this.#pending.length === 0) return;
    const text = this.#pending.length === 1 ? (this.#pending[0] as string) : this.#pending.join('');
    this.#pending = [];
    this.#stream.write(text);
  };
}
