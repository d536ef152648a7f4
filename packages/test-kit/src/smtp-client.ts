import { connect, type Socket } from 'node:net';

export interface SmtpReply {
  readonly code: number;
  /** Every line, as sent, without CRLF. */
  readonly lines: readonly string[];
  /** The last line, e.g. `421 4.3.2 Service temporarily unavailable`. */
  readonly last: string;
}

/** How a connection ended, seen from the client: FIN after everything, a reset, or not yet. */
export type Ending = 'eof' | 'reset' | 'open';

export interface ConnectOptions {
  readonly host?: string;
  /** Source address, e.g. 127.0.0.2 (Linux answers on all of 127/8; other systems may not). */
  readonly localAddress?: string;
  /** How server bytes become text; default latin1 (every byte one character). */
  readonly encoding?: 'latin1' | 'utf8';
  /** How long reads wait when the call names no time; default 5 s. */
  readonly waitMs?: number;
}

const DEFAULT_WAIT_MS = 5_000;
const FINAL_LINE = /^\d{3}(?: |$)/;

/** A line-oriented SMTP client for tests and load scripts: it sees exactly what the server sends. */
export class SmtpTestClient {
  readonly socket: Socket;
  #partial = '';
  #pending: string[] = [];
  #ended: Ending = 'open';
  #error: NodeJS.ErrnoException | undefined;
  #wake: (() => void) | undefined;
  readonly #waitMs: number;

  private constructor(socket: Socket, options: ConnectOptions) {
    this.socket = socket;
    this.#waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
    const encoding = options.encoding ?? 'latin1';
    socket.setEncoding(encoding);
    socket.on('data', (chunk: string) => {
      const text = this.#partial + chunk;
      let start = 0;
      let index: number;
      while ((index = text.indexOf('\r\n', start)) !== -1) {
        this.#pending.push(text.slice(start, index));
        start = index + 2;
      }
      this.#partial = text.slice(start);
      this.#notify();
    });
    socket.on('end', () => {
      if (this.#ended === 'open') this.#ended = 'eof';
      this.#notify();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      this.#error = error;
      // A reset, or any error on an open connection; a late EPIPE after a FIN keeps the 'eof'.
      if (error.code === 'ECONNRESET' || this.#ended === 'open') this.#ended = 'reset';
      this.#notify();
    });
    // A close with neither FIN nor error: we destroyed the socket ourselves.
    socket.on('close', () => {
      if (this.#ended === 'open') this.#ended = 'eof';
      this.#notify();
    });
  }

  static connect(port: number, options: ConnectOptions = {}): Promise<SmtpTestClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: options.host ?? '127.0.0.1', port, ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }) });
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new SmtpTestClient(socket, options));
      });
      socket.once('error', reject);
    });
  }

  get error(): NodeJS.ErrnoException | undefined {
    return this.#error;
  }

  get ended(): Ending {
    return this.#ended;
  }

  /** Complete lines received and not read yet. */
  get buffered(): number {
    return this.#pending.length;
  }

  /** Sends raw bytes; CRLF is not added. False when the socket buffer is full (wait for 'drain'). */
  write(bytes: string | Buffer): boolean {
    return this.socket.write(bytes);
  }

  /** Sends one command line. */
  send(line: string): void {
    this.socket.write(`${line}\r\n`);
  }

  /** Sends a command and reads its reply. */
  async command(line: string, waitMs = this.#waitMs): Promise<SmtpReply> {
    this.send(line);
    return this.reply(waitMs);
  }

  /** The next line the server sent, without CRLF. */
  readLine(waitMs = this.#waitMs): Promise<string> {
    return this.#nextLine(Date.now() + waitMs);
  }

  /** The next complete reply (a multi-line reply's lines together), within one wait. */
  async reply(waitMs = this.#waitMs): Promise<SmtpReply> {
    const deadline = Date.now() + waitMs;
    const lines: string[] = [];
    for (;;) {
      const line = await this.#nextLine(deadline).catch((error: unknown) => {
        throw lines.length === 0 ? error : new Error(`${String(error)}; reply so far: ${JSON.stringify(lines)}`);
      });
      lines.push(line);
      if (FINAL_LINE.test(line)) return { code: Number(line.slice(0, 3)), lines, last: line };
    }
  }

  /** Waits until the server closes: 'eof' or 'reset'. Unread lines (and any partial line) are returned. */
  async ending(waitMs = this.#waitMs): Promise<{ readonly ending: Ending; readonly unread: readonly string[] }> {
    const deadline = Date.now() + waitMs;
    while (this.#ended === 'open') await this.#waitFor(deadline, 'the server to close');
    const unread = this.#partial === '' ? this.#pending : [...this.#pending, this.#partial];
    this.#pending = [];
    this.#partial = '';
    return { ending: this.#ended, unread };
  }

  /** Waits for the server's FIN; fails on a reset or on data nobody read. */
  async expectClosed(waitMs = this.#waitMs): Promise<void> {
    const { ending, unread } = await this.ending(waitMs);
    if (ending !== 'eof') throw this.#error ?? new Error(`connection ${ending}, not closed with a FIN`);
    if (unread.length > 0) throw new Error(`unexpected data before close: ${JSON.stringify(unread)}`);
  }

  /** Half-closes our side and frees the socket once the server is done too. */
  close(): void {
    if (!this.socket.destroyed) this.socket.end();
    setTimeout(() => this.socket.destroy(), 1_000).unref();
  }

  destroy(): void {
    this.socket.destroy();
  }

  async #nextLine(deadline: number): Promise<string> {
    for (;;) {
      const line = this.#pending.shift();
      if (line !== undefined) return line;
      if (this.#ended !== 'open' || this.socket.destroyed) {
        throw this.#error ?? new Error(`connection ended (${this.#ended}) while waiting for a line; unread: ${JSON.stringify(this.#partial)}`);
      }
      await this.#waitFor(deadline, 'a line');
    }
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #waitFor(deadline: number, what: string): Promise<void> {
    const left = deadline - Date.now();
    const timeout = (): Error => new Error(`timed out waiting for ${what}; unread: ${JSON.stringify(this.#partial)}`);
    if (left <= 0) return Promise.reject(timeout());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#wake = undefined;
        reject(timeout());
      }, left);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
