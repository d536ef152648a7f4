import { connect, type Socket } from 'node:net';

export interface Reply {
  readonly code: number;
  readonly last: string;
}

/** A small SMTP client connection for the soak: final reply lines, bounded waits, how it ended. */
export class SoakConnection {
  readonly socket: Socket;
  #partial = '';
  #replies: Reply[] = [];
  #ended: 'open' | 'eof' | 'reset' = 'open';
  #wake: (() => void) | undefined;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.#partial += chunk;
      let index: number;
      while ((index = this.#partial.indexOf('\r\n')) !== -1) {
        const line = this.#partial.slice(0, index);
        this.#partial = this.#partial.slice(index + 2);
        if (line[3] !== '-') this.#replies.push({ code: Number(line.slice(0, 3)), last: line });
      }
      this.#notify();
    });
    socket.on('end', () => {
      if (this.#ended === 'open') this.#ended = 'eof';
      this.#notify();
    });
    socket.on('error', () => {
      this.#ended = 'reset';
      this.#notify();
    });
    socket.on('close', () => {
      if (this.#ended === 'open') this.#ended = 'eof';
      this.#notify();
    });
  }

  static open(port: number): Promise<SoakConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new SoakConnection(socket));
      });
      socket.once('error', reject);
    });
  }

  get ended(): 'open' | 'eof' | 'reset' {
    return this.#ended;
  }

  /** Replies received and not read yet. */
  get buffered(): number {
    return this.#replies.length;
  }

  send(line: string): void {
    this.socket.write(`${line}\r\n`);
  }

  write(bytes: string | Buffer): boolean {
    return this.socket.write(bytes);
  }

  async reply(timeoutMs = 10_000): Promise<Reply> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const next = this.#replies.shift();
      if (next !== undefined) return next;
      if (this.#ended !== 'open') throw new Error(`connection ended (${this.#ended}) before a reply`);
      await this.#wait(deadline, 'a reply');
    }
  }

  async command(line: string, timeoutMs?: number): Promise<Reply> {
    this.send(line);
    return this.reply(timeoutMs);
  }

  /** Waits for the server to close; 'eof' or 'reset'. */
  async closed(timeoutMs = 15_000): Promise<'eof' | 'reset'> {
    const deadline = Date.now() + timeoutMs;
    while (this.#ended === 'open') await this.#wait(deadline, 'the close');
    return this.#ended;
  }

  destroy(): void {
    this.socket.destroy();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #wait(deadline: number, what: string): Promise<void> {
    const left = deadline - Date.now();
    if (left <= 0) return Promise.reject(new Error(`timed out waiting for ${what}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#wake = undefined;
        reject(new Error(`timed out waiting for ${what}`));
      }, left);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
