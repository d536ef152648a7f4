import { once } from 'node:events';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { createSmtpServer, reply, selfSignedCertificate, type SessionInfo, type SessionPolicy, type SmtpServer, type SmtpServerOptions } from '../../src/index.js';

const CERT = selfSignedCertificate('mx.test');

/** Reads CRLF lines from a socket; `reply()` resolves with the next complete reply's lines. */
class LineReader {
  #buffer = '';
  readonly #waiters: (() => void)[] = [];
  constructor(socket: Socket | TLSSocket) {
    socket.on('data', (chunk: Buffer) => {
      this.#buffer += chunk.toString('latin1');
      for (const w of this.#waiters.splice(0)) w();
    });
  }
  async reply(): Promise<string[]> {
    for (;;) {
      const lines = this.#buffer.split('\r\n');
      const end = lines.findIndex((l) => /^\d{3} /.test(l) || /^\d{3}$/.test(l));
      if (end !== -1) {
        this.#buffer = lines.slice(end + 1).join('\r\n');
        return lines.slice(0, end + 1);
      }
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }
}

describe('STARTTLS (RFC 3207) over a real socket', () => {
  let server: SmtpServer | undefined;
  afterEach(async () => {
    await server?.close({ graceMs: 500 });
    server = undefined;
  });

  async function start(policy: () => SessionPolicy, options: Partial<SmtpServerOptions> = {}): Promise<number> {
    server = createSmtpServer({ hostname: 'mx.test', tls: { key: CERT.key, cert: CERT.cert }, policy, ...options });
    return (await server.listen(0, '127.0.0.1')).port;
  }

  async function plainThenTls(port: number, afterStartTls = ''): Promise<{ secure: TLSSocket; reader: LineReader; readyLine: string }> {
    const socket = netConnect(port, '127.0.0.1');
    const plain = new LineReader(socket);
    await plain.reply();
    socket.write('EHLO client.test\r\n');
    expect(await plain.reply()).toContain('250 STARTTLS');
    socket.write(`STARTTLS\r\n${afterStartTls}`);
    const [readyLine = ''] = await plain.reply();
    socket.removeAllListeners('data');
    const secure = tlsConnect({ socket, servername: 'mx.test', ca: CERT.cert });
    await once(secure, 'secureConnect');
    return { secure, reader: new LineReader(secure), readyLine };
  }

  it('220 2.0.0, the handshake, then a fresh session: EHLO again, no STARTTLS, session.tls set', async () => {
    let seen: SessionInfo | undefined;
    const port = await start(() => ({ onMailFrom: (_f, _p, session) => void (seen = session) }));
    const { secure, reader, readyLine } = await plainThenTls(port);
    expect(readyLine).toBe('220 2.0.0 Ready to start TLS');
    secure.write('MAIL FROM:<a@b.c>\r\n');
    expect((await reader.reply())[0]).toMatch(/^503 /);
    secure.write('EHLO client.test\r\n');
    const ehlo = await reader.reply();
    expect(ehlo.some((l) => l.includes('STARTTLS'))).toBe(false);
    secure.write('MAIL FROM:<a@b.c>\r\n');
    expect(await reader.reply()).toEqual(['250 2.1.0 OK']);
    expect(seen?.tls?.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(seen?.tls?.cipher).toMatch(/^TLS_/);
    secure.end('QUIT\r\n');
  });

  it('CVE-2011-0411: commands pipelined behind STARTTLS in plain text are never executed', async () => {
    const mails: string[] = [];
    const port = await start(() => ({ onMailFrom: (from) => void mails.push(from.address) }));
    const { secure, reader } = await plainThenTls(port, 'MAIL FROM:<injected@evil.test>\r\nRCPT TO:<x@y.z>\r\n');
    secure.write('NOOP\r\n');
    // The first reply over TLS answers our NOOP: nothing was left over from the plain text.
    expect(await reader.reply()).toEqual(['250 2.0.0 OK']);
    expect(mails).toEqual([]);
    secure.end('QUIT\r\n');
  });

  it('required: MAIL before STARTTLS is 530 5.7.0 Must issue a STARTTLS command first', async () => {
    const port = await start(() => ({}), { tls: { key: CERT.key, cert: CERT.cert, required: true } });
    const socket = netConnect(port, '127.0.0.1');
    const plain = new LineReader(socket);
    await plain.reply();
    socket.write('EHLO c\r\nMAIL FROM:<a@b.c>\r\n');
    await plain.reply();
    expect(await plain.reply()).toEqual(['530 5.7.0 Must issue a STARTTLS command first']);
    socket.destroy();
  });

  it('the policy refuses: 454 4.7.0, the session goes on in plain text', async () => {
    const port = await start(() => ({ onStartTls: () => reply(454, '4.7.0', 'TLS not available') }));
    const socket = netConnect(port, '127.0.0.1');
    const plain = new LineReader(socket);
    await plain.reply();
    socket.write('EHLO c\r\nSTARTTLS\r\nMAIL FROM:<a@b.c>\r\n');
    await plain.reply();
    expect(await plain.reply()).toEqual(['454 4.7.0 TLS not available']);
    expect(await plain.reply()).toEqual(['250 2.1.0 OK']);
    socket.destroy();
  });

  it.each(['reset', 'alert'] as const)('the policy breaks the handshake (%s): 220, then the client sees it fail', async (abort) => {
    const reasons: string[] = [];
    const port = await start(() => ({ onStartTls: () => ({ abort }), onClose: (_s, reason) => void reasons.push(reason) }));
    const socket = netConnect(port, '127.0.0.1');
    const plain = new LineReader(socket);
    await plain.reply();
    socket.write('EHLO c\r\nSTARTTLS\r\n');
    await plain.reply();
    expect(await plain.reply()).toEqual(['220 2.0.0 Ready to start TLS']);
    socket.removeAllListeners('data');
    const secure = tlsConnect({ socket, servername: 'mx.test', ca: CERT.cert });
    const [error] = (await once(secure, 'error')) as [NodeJS.ErrnoException];
    if (abort === 'reset') expect(error.code).toBe('ECONNRESET');
    else expect(error.message).toMatch(/handshake failure/i);
    await expect.poll(() => reasons).toEqual(['tls-aborted']);
  });

  it('a client that never sends its hello is dropped after tlsHandshakeTimeoutMs', async () => {
    const reasons: string[] = [];
    const port = await start(() => ({ onClose: (_s, reason) => void reasons.push(reason) }), { limits: { tlsHandshakeTimeoutMs: 50 } });
    const socket = netConnect(port, '127.0.0.1');
    const plain = new LineReader(socket);
    await plain.reply();
    socket.write('EHLO c\r\nSTARTTLS\r\n');
    await plain.reply();
    await plain.reply();
    await once(socket, 'close');
    await expect.poll(() => reasons).toEqual(['tls-timeout']);
  });

  it('with the alert abort, a client that never sends its hello is dropped after tlsHandshakeTimeoutMs too', async () => {
    const reasons: string[] = [];
    const port = await start(() => ({ onStartTls: () => ({ abort: 'alert' }), onClose: (_s, reason) => void reasons.push(reason) }), { limits: { tlsHandshakeTimeoutMs: 50 } });
    const socket = netConnect(port, '127.0.0.1');
    const plain = new LineReader(socket);
    await plain.reply();
    socket.write('EHLO c\r\nSTARTTLS\r\n');
    await plain.reply();
    await plain.reply();
    await once(socket, 'close');
    await expect.poll(() => reasons).toEqual(['tls-timeout']);
  });

  it('past maxTlsHandshakes STARTTLS gets 454 4.7.0 without asking the policy', async () => {
    const port = await start(() => ({}), { limits: { maxTlsHandshakes: 1, tlsHandshakeTimeoutMs: 5000 } });
    const first = netConnect(port, '127.0.0.1');
    const one = new LineReader(first);
    await one.reply();
    first.write('EHLO c\r\nSTARTTLS\r\n');
    await one.reply();
    await one.reply();
    const second = netConnect(port, '127.0.0.1');
    const two = new LineReader(second);
    await two.reply();
    second.write('EHLO c\r\nSTARTTLS\r\n');
    await two.reply();
    expect(await two.reply()).toEqual(['454 4.7.0 TLS not available']);
    first.destroy();
    second.destroy();
  });

  it('nodemailer with requireTLS delivers over TLS', async () => {
    const delivered: (string | undefined)[] = [];
    const port = await start(() => ({ onDataEnd: (_m, _e, session) => void delivered.push(session.tls?.protocol) }));
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, requireTLS: true, name: 'client.test', tls: { ca: CERT.cert, servername: 'mx.test' } });
    const info = await transport.sendMail({ from: 'a@example.com', to: 'b@example.net', subject: 'tls', text: 'over tls' });
    expect(info.accepted).toEqual(['b@example.net']);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatch(/^TLSv1\.[23]$/);
  });

  it('a bad key or certificate is refused when the server is created', () => {
    expect(() => createSmtpServer({ tls: { key: 'not a key', cert: CERT.cert } })).toThrow(/tls: the key and certificate are not usable/);
  });
});

describe('STARTTLS handshake slots', () => {
  it('a client that leaves mid-handshake frees its slot: the next STARTTLS is not refused', async () => {
    const server = createSmtpServer({ hostname: 'mx.test', tls: { key: CERT.key, cert: CERT.cert }, limits: { maxTlsHandshakes: 1 } });
    const { port } = await server.listen(0, '127.0.0.1');
    try {
      for (let i = 0; i < 3; i++) {
        const socket = netConnect(port, '127.0.0.1');
        const plain = new LineReader(socket);
        await plain.reply();
        socket.write('EHLO c\r\nSTARTTLS\r\n');
        await plain.reply();
        expect(await plain.reply()).toEqual(['220 2.0.0 Ready to start TLS']);
        socket.end();
        await once(socket, 'close');
      }
    } finally {
      await server.close({ graceMs: 500 });
    }
  });
});
