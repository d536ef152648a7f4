import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';

/**
 * Plays a C:/S: transcript against a live server over a real socket.
 *
 * - `C: text`   client line (CRLF added); consecutive C: lines go out in one write (pipelining)
 * - `C! text`   raw client bytes with escapes \r \n \\ \xHH, no CRLF added
 * - `S: text`   next server line must equal text; `*` at the end matches any rest
 * - `S~ regex`  next server line must match the regular expression
 * - `CLOSED`    the server closes the connection cleanly (FIN, not reset) with nothing more to say
 * - `#`         comment
 */
export type Step =
  | { readonly kind: 'send'; readonly bytes: Buffer; readonly line: number }
  | { readonly kind: 'expect'; readonly match: (s: string) => boolean; readonly text: string; readonly line: number }
  | { readonly kind: 'closed'; readonly line: number };

export function parseTranscript(text: string): Step[] {
  const steps: Step[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const content = raw.replace(/\r$/, '');
    if (content.trim() === '' || content.startsWith('#')) return;
    if (content === 'CLOSED') return void steps.push({ kind: 'closed', line });
    if (content === 'C:') return void steps.push({ kind: 'send', bytes: Buffer.from('\r\n'), line });
    const tag = content.slice(0, 3);
    const body = content.slice(3);
    if (tag === 'C: ') return void steps.push({ kind: 'send', bytes: Buffer.from(`${body}\r\n`, 'utf8'), line });
    if (tag === 'C! ') return void steps.push({ kind: 'send', bytes: unescape(body), line });
    if (tag === 'S: ') {
      const match = body.endsWith('*') ? (s: string) => s.startsWith(body.slice(0, -1)) : (s: string) => s === body;
      return void steps.push({ kind: 'expect', match, text: body, line });
    }
    if (tag === 'S~ ') {
      const re = new RegExp(`^${body}$`);
      return void steps.push({ kind: 'expect', match: (s) => re.test(s), text: body, line });
    }
    throw new Error(`transcript line ${line}: cannot parse ${JSON.stringify(content)}`);
  });
  return steps;
}

function unescape(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '\\') {
      bytes.push(...Buffer.from(c as string, 'utf8'));
      continue;
    }
    const next = text[++i];
    if (next === 'r') bytes.push(13);
    else if (next === 'n') bytes.push(10);
    else if (next === '\\') bytes.push(92);
    else if (next === 'x') {
      bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else throw new Error(`bad escape \\${next}`);
  }
  return Buffer.from(bytes);
}

/** A line-oriented view of a client socket, with bounded waits. */
export class LineClient {
  readonly socket: Socket;
  #buffer = '';
  #ended = false;
  #error: Error | undefined;
  #waiters: (() => void)[] = [];

  constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (d: Buffer) => {
      this.#buffer += d.toString('utf8');
      this.#wake();
    });
    socket.on('end', () => {
      this.#ended = true;
      this.#wake();
    });
    socket.on('error', (e) => {
      this.#error = e;
      this.#wake();
    });
  }

  static async connect(port: number, host = '127.0.0.1', localAddress?: string): Promise<LineClient> {
    const socket = connect({ port, host, ...(localAddress === undefined ? {} : { localAddress }) });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new LineClient(socket);
  }

  get error(): Error | undefined {
    return this.#error;
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** The next line the server sent (without CRLF). Throws on timeout, reset or EOF. */
  async readLine(timeoutMs = 5000): Promise<string> {
    await this.#until(() => this.#buffer.includes('\r\n') || this.#ended || this.#error !== undefined, timeoutMs, 'a reply line');
    const at = this.#buffer.indexOf('\r\n');
    if (at === -1) throw this.#error ?? new Error(`connection ended; unread: ${JSON.stringify(this.#buffer)}`);
    const line = this.#buffer.slice(0, at);
    this.#buffer = this.#buffer.slice(at + 2);
    return line;
  }

  /** Reads one whole reply (all its lines); returns the lines. */
  async readReply(timeoutMs = 5000): Promise<string[]> {
    const lines: string[] = [];
    for (;;) {
      const line = await this.readLine(timeoutMs);
      lines.push(line);
      if (line[3] !== '-') return lines;
    }
  }

  /** Waits for the server's FIN; fails on a reset or on unread data. */
  async expectClosed(timeoutMs = 5000): Promise<void> {
    await this.#until(() => this.#ended || this.#error !== undefined, timeoutMs, 'the server to close');
    if (this.#error !== undefined) throw this.#error;
    if (this.#buffer !== '') throw new Error(`unexpected data before close: ${JSON.stringify(this.#buffer)}`);
  }

  close(): void {
    this.socket.destroy();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  async #until(ready: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ready()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; buffered: ${JSON.stringify(this.#buffer)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

/** Runs a transcript file against host:port; throws with the transcript line on the first mismatch. */
export async function runTranscript(path: string, port: number): Promise<void> {
  const steps = parseTranscript(readFileSync(path, 'utf8'));
  const client = await LineClient.connect(port);
  try {
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i] as Step;
      if (step.kind === 'send') {
        const batch = [step.bytes];
        while (steps[i + 1]?.kind === 'send') batch.push((steps[++i] as { bytes: Buffer }).bytes);
        client.write(Buffer.concat(batch));
      } else if (step.kind === 'expect') {
        const got = await client.readLine();
        if (!step.match(got)) throw new Error(`${path}:${step.line}: expected ${JSON.stringify(step.text)}, got ${JSON.stringify(got)}`);
      } else {
        await client.expectClosed().catch((error: unknown) => {
          throw new Error(`${path}:${step.line}: expected a clean close: ${String(error)}`);
        });
      }
    }
  } finally {
    client.close();
  }
}
