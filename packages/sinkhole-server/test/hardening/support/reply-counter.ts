import type { Socket } from 'node:net';

/**
 * Counts the final lines (`ddd ` or `ddd` alone) of the replies arriving on a socket without
 * keeping them: for clients that receive hundreds of thousands of replies.
 */
export class ReplyCounter {
  finals = 0;
  readonly codes = new Map<number, number>();
  /** The first 1,000 final codes, in order. */
  readonly sequence: number[] = [];
  #partial = '';
  #waiters: (() => void)[] = [];
  ended = false;

  constructor(socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      const text = this.#partial + chunk;
      let start = 0;
      let index: number;
      while ((index = text.indexOf('\r\n', start)) !== -1) {
        if (index - start >= 3 && (index - start === 3 || text[start + 3] === ' ')) {
          this.finals++;
          const code = Number(text.slice(start, start + 3));
          this.codes.set(code, (this.codes.get(code) ?? 0) + 1);
          if (this.sequence.length < 1_000) this.sequence.push(code);
        }
        start = index + 2;
      }
      this.#partial = text.slice(start);
      this.#wake();
    });
    socket.on('end', () => {
      this.ended = true;
      this.#wake();
    });
    socket.on('close', () => {
      this.ended = true;
      this.#wake();
    });
    socket.on('error', () => undefined);
  }

  /** Waits until at least `count` final lines arrived. */
  async waitFor(count: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.finals < count) {
      if (this.ended) throw new Error(`connection ended after ${this.finals} of ${count} replies`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${this.finals} of ${count} replies`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  #wake(): void {
    for (const wake of this.#waiters.splice(0)) wake();
  }
}
