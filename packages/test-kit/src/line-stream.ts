import type { Readable } from 'node:stream';

/**
 * Calls `onLine` for every line of a text stream (LF-terminated; a CR before it is dropped), and
 * for a last unterminated line at the end. `onChunk` runs after each chunk's lines.
 */
export function readLines(stream: Readable, onLine: (line: string) => void, onChunk?: () => void): void {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const text = partial + chunk;
    let start = 0;
    let index: number;
    while ((index = text.indexOf('\n', start)) !== -1) {
      onLine(text.slice(start, text[index - 1] === '\r' && index > start ? index - 1 : index));
      start = index + 1;
    }
    partial = text.slice(start);
    onChunk?.();
  });
  stream.on('end', () => {
    if (partial !== '') onLine(partial);
    partial = '';
    onChunk?.();
  });
}

interface Waiter {
  readonly predicate: (line: string) => boolean;
  readonly resolve: (line: string) => void;
}

/** Keeps every line a stream produces and lets a test wait, with a deadline, for a matching one. */
export class LineLog {
  readonly #lines: string[] = [];
  #waiters: Waiter[] = [];

  constructor(stream: Readable) {
    readLines(stream, (line) => this.#add(line));
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

  #add(line: string): void {
    this.#lines.push(line);
    const matched = this.#waiters.filter((w) => w.predicate(line));
    if (matched.length === 0) return;
    this.#waiters = this.#waiters.filter((w) => !matched.includes(w));
    for (const w of matched) w.resolve(line);
  }
}
