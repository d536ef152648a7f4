import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSmtpServer, policyAction, reply, type SessionPolicy, type SmtpServer, type SmtpServerOptions } from '../../src/index.js';

// Every action measured from the client's side of a real TCP connection on 127.0.0.1.

const servers: SmtpServer[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(servers.splice(0).map((s) => s.close({ graceMs: 200 })));
});

async function start(policy: SessionPolicy, limits: SmtpServerOptions['limits'] = {}): Promise<number> {
  const server = createSmtpServer({ hostname: 'mx.test', policy: () => policy, limits });
  servers.push(server);
  return (await server.listen(0, '127.0.0.1')).port;
}

interface Chunk {
  readonly at: number;
  readonly text: string;
}

/** A raw client that records each chunk with its arrival time, and how the connection ended. */
class RawClient {
  readonly chunks: Chunk[] = [];
  ending: 'fin' | 'rst' | undefined;
  endedAt = 0;
  readonly #socket: Socket;
  readonly #done: Promise<void>;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (d: Buffer) => this.chunks.push({ at: performance.now(), text: d.toString('latin1') }));
    this.#done = new Promise((resolve) => {
      socket.on('end', () => {
        this.ending ??= 'fin';
        this.endedAt = performance.now();
        socket.end();
        resolve();
      });
      socket.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'ECONNRESET') this.ending ??= 'rst';
        this.endedAt = performance.now();
        resolve();
      });
    });
  }

  static async connect(port: number): Promise<RawClient> {
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new RawClient(socket);
  }

  get text(): string {
    return this.chunks.map((c) => c.text).join('');
  }

  send(line: string): number {
    this.#socket.write(`${line}\r\n`);
    return performance.now();
  }

  /** Waits until the received text contains `needle` (or the connection ends); returns the arrival time. */
  async until(needle: string): Promise<number> {
    for (;;) {
      const index = this.text.indexOf(needle);
      if (index !== -1) {
        let seen = 0;
        for (const chunk of this.chunks) {
          seen += chunk.text.length;
          if (seen > index) return chunk.at;
        }
      }
      if (this.ending !== undefined) throw new Error(`ended (${this.ending}) before ${JSON.stringify(needle)}; got ${JSON.stringify(this.text)}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  ended(): Promise<void> {
    return this.#done;
  }
}

async function toRcpt(port: number): Promise<RawClient> {
  const c = await RawClient.connect(port);
  await c.until('220 ');
  c.send('EHLO client.test');
  await c.until('250 ');
  c.send('MAIL FROM:<a@client.test>');
  await c.until('250 2.1.0');
  return c;
}

describe('policy actions over a socket, measured by the client', () => {
  it('a delay holds the reply for the time asked (never less, within the 1 ms clock resolution)', async () => {
    const port = await start({ onRcptTo: () => policyAction({ reply: reply(451, '4.3.0', 'Slow no'), delayMs: 300 }) });
    const c = await toRcpt(port);
    const sent = c.send('RCPT TO:<x@mx.test>');
    const received = await c.until('451 4.3.0 Slow no');
    expect(received - sent).toBeGreaterThanOrEqual(299);
    // The session goes on after it.
    c.send('RCPT TO:<y@mx.test>');
    await c.until('451 4.3.0 Slow no\r\n451');
  });

  it('a delay before the greeting: the 220 comes late', async () => {
    const started = performance.now();
    const port = await start({ onConnect: () => policyAction({ delayMs: 200 }) });
    const c = await RawClient.connect(port);
    const at = await c.until('220 mx.test');
    expect(at - started).toBeGreaterThanOrEqual(199);
  });

  it('a hang never replies: the client hears nothing until the idle timeout, then 421 4.4.2', async () => {
    const port = await start({ onRcptTo: () => policyAction({ reply: undefined, close: 'hang' }) }, { idleTimeoutMs: 600 });
    const c = await toRcpt(port);
    const sent = c.send('RCPT TO:<x@mx.test>');
    const at = await c.until('421 4.4.2');
    expect(c.text).not.toMatch(/250 2\.1\.5/);
    expect(at - sent).toBeGreaterThanOrEqual(599);
    await c.ended();
    expect(c.ending).toBe('fin');
  });

  it('close fin after a reply and a silent fin are FINs; close rst is an RST: the client tells them apart', async () => {
    const afterReply = await start({ onRcptTo: () => policyAction({ reply: reply(421, '4.3.2', 'Going'), close: 'fin' }) });
    const a = await toRcpt(afterReply);
    a.send('RCPT TO:<x@mx.test>');
    await a.ended();
    expect(a.text).toMatch(/421 4\.3\.2 Going\r\n$/);
    expect(a.ending).toBe('fin');

    const silent = await start({ onRcptTo: () => policyAction({ reply: null, close: 'fin' }) });
    const b = await toRcpt(silent);
    const before = b.text.length;
    b.send('RCPT TO:<x@mx.test>');
    await b.ended();
    expect(b.text.length).toBe(before);
    expect(b.ending).toBe('fin');

    const reset = await start({ onRcptTo: () => policyAction({ reply: null, close: 'rst' }) });
    const r = await toRcpt(reset);
    r.send('RCPT TO:<x@mx.test>');
    await r.ended();
    expect(r.ending).toBe('rst');
  });

  it('a trickle arrives one byte at a time, a pause apart', async () => {
    const port = await start({ onRcptTo: () => policyAction({ reply: reply(250, '2.1.5', 'Slowly'), trickleMs: 30 }) });
    const c = await toRcpt(port);
    const from = c.chunks.length;
    c.send('RCPT TO:<x@mx.test>');
    await c.until('250 2.1.5 Slowly\r\n');
    const chunks = c.chunks.slice(from);
    expect(chunks.map((ch) => ch.text).join('')).toBe('250 2.1.5 Slowly\r\n');
    expect(chunks.every((ch) => ch.text.length === 1)).toBe(true);
    for (let i = 1; i < chunks.length; i++) expect((chunks[i] as Chunk).at - (chunks[i - 1] as Chunk).at).toBeGreaterThanOrEqual(20);
    // Commands after it are answered normally.
    c.send('RSET');
    await c.until('250 2.0.0 Reset OK');
  });

  it('accept-then-drop: 250 at the end of data, then the server closes at once without waiting for QUIT', async () => {
    let accepted = 0;
    const port = await start({
      onDataEnd: () => {
        accepted++;
        return policyAction({ reply: undefined, close: 'fin' });
      },
    });
    const c = await toRcpt(port);
    c.send('RCPT TO:<x@mx.test>');
    await c.until('250 2.1.5');
    c.send('DATA');
    await c.until('354 ');
    c.send('Subject: t\r\n\r\nbody\r\n.');
    await c.until('250 2.0.0 OK: message accepted');
    await c.ended();
    expect(c.ending).toBe('fin');
    expect(accepted).toBe(1);
  });

  it('refuses actions that cannot work, at build time', () => {
    expect(() => policyAction({ reply: null })).toThrow(/must close/);
    expect(() => policyAction({ close: 'hang', reply: reply(250, null, 'x') })).toThrow(/hang sends nothing/);
    expect(() => policyAction({ delayMs: -1 })).toThrow(/delayMs/);
    expect(() => policyAction({ trickleMs: 1.5 })).toThrow(/trickleMs/);
  });

  it('an action whose reply does not fit the phase is a hook error answered 451', async () => {
    const port = await start({ onRcptTo: () => policyAction({ reply: reply(354, null, 'Go on'), delayMs: 1 }) });
    const c = await toRcpt(port);
    c.send('RCPT TO:<x@mx.test>');
    await c.until('451 4.3.0');
  });
});
