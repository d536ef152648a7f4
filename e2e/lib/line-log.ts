// Collects the lines a stream produces and lets a test wait, with a deadline, for a matching one.
import type { Readable } from 'node:stream';

interface Waiter {
  readonly predicate: (line: string) => boolean;
  readonly resolve: (line: string) => void;
}

export class LineLog {
  readonly #lines: string[] = [];
  #waiters: Waiter[] = [];
  #partial = '';

  constructor(stream: Readable) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => this.#push(chunk));
    stream.on('end', () => {
      if (this.#partial !== '') this.#add(this.#partial);
      this.#partial = '';
    });
  }

  get lines(): readonly string[] {
    return this.#lines;
  }

  /** Resolves with the first line (already seen or future) matching `predicate`, or rejects after `timeoutMs`. */
  async waitFor(predicate: (line: string) => boolean, timeoutMs: number, what: string): Promise<string> {
    const seen = this.#lines.find(predicate);
    if (seen !== undefined) return seen;
    return new Promise<string>((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; lines so far:\n${this.#lines.join('\n')}`));
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  #push(chunk: string): void {
    const parts = (this.#partial + chunk).split('\n');
    this.#partial = parts.pop() ?? '';
    for (const part of parts) this.#add(part.replace(/\r$/, ''));
  }

  #add(line: string): void {
    this.#lines.push(line);
    const matched = this.#waiters.filter((w) => w.predicate(line));
    this.#waiters = this.#waiters.filter((w) => !matched.includes(w));
    for (const w of matched) w.resolve(line);
  }
}
