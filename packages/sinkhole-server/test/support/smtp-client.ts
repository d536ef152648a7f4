import { connect, type Socket } from 'node:net';

export interface SmtpReply {
  readonly code: number;
  /** Every line, as sent, without CRLF. */
  readonly lines: readonly string[];
  /** The last line, e.g. `421 4.3.2 Service temporarily unavailable`. */
  readonly last: string;
}

/** How a connection ended, seen from the client. */
export type Ending = 'eof' | 'reset' | 'open';

const DEFAULT_WAIT_MS = 5_000;

/** A minimal line-oriented SMTP client for tests: it sees exactly what the server sends. */
export class SmtpTestClient {
  readonly socket: Socket;
  #buffer = '';
  #pending: string[] = [];
  #ended: Ending = 'open';
  #error: NodeJS.ErrnoException | undefined;
  #wake: (() => void) | undefined;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.#buffer += chunk;
      let index: number;
      while ((index = this.#buffer.indexOf('\r\n')) !== -1) {
        this.#pending.push(this.#buffer.slice(0, index));
        this.#buffer = this.#buffer.slice(index + 2);
      }
      this.#notify();
    });
    socket.on('end', () => {
      if (this.#ended === 'open') this.#ended = 'eof';
      this.#notify();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      this.#error = error;
      this.#ended = error.code === 'ECONNRESET' ? 'reset' : this.#ended === 'open' ? 'reset' : this.#ended;
      this.#notify();
    });
    socket.on('close', () => this.#notify());
  }

  static connect(port: number, options: { readonly localAddress?: string; readonly host?: string } = {}): Promise<SmtpTestClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: options.host ?? '127.0.0.1', port, ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }) });
      socket.once('connect', () => resolve(new SmtpTestClient(socket)));
      socket.once('error', reject);
    });
  }

  get error(): NodeJS.ErrnoException | undefined {
    return this.#error;
  }

  /** Sends raw text; CRLF is not added. */
  write(text: string | Buffer): void {
    this.socket.write(text);
  }

  /** Sends one command line. */
  send(line: string): void {
    this.socket.write(`${line}\r\n`);
  }

  /** Sends a command and reads its reply. */
  async command(line: string, waitMs = DEFAULT_WAIT_MS): Promise<SmtpReply> {
    this.send(line);
    return this.reply(waitMs);
  }

  /** The next complete reply (multi-line replies joined). */
  async reply(waitMs = DEFAULT_WAIT_MS): Promise<SmtpReply> {
    const lines: string[] = [];
    const deadline = Date.now() + waitMs;
    for (;;) {
      const line = this.#pending.shift();
      if (line !== undefined) {
        lines.push(line);
        if (/^\d{3}(?: |$)/.test(line)) return { code: Number(line.slice(0, 3)), lines, last: line };
        continue;
      }
      if (this.#ended !== 'open' || this.socket.destroyed) {
        throw new Error(`connection ended (${this.#ended}) while waiting for a reply; got ${JSON.stringify(lines)}`);
      }
      await this.#waitFor(deadline, 'a reply');
    }
  }

  /** Waits until the server closes: 'eof' (FIN after everything) or 'reset'. Unread replies are returned. */
  async ending(waitMs = DEFAULT_WAIT_MS): Promise<{ readonly ending: Ending; readonly unread: readonly string[] }> {
    const deadline = Date.now() + waitMs;
    while (this.#ended === 'open') await this.#waitFor(deadline, 'the server to close');
    const unread = this.#pending;
    this.#pending = [];
    return { ending: this.#ended, unread };
  }

  /** Half-closes our side and frees the socket once the server is done too. */
  close(): void {
    if (!this.socket.destroyed) this.socket.end();
    setTimeout(() => this.socket.destroy(), 1_000).unref();
  }

  destroy(): void {
    this.socket.destroy();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #waitFor(deadline: number, what: string): Promise<void> {
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
