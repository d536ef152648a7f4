// BDAT (RFC 3030) over a real socket: pipelined chunks, and a 100 MB chunk over a 1 MB limit that
// is drained as it arrives and answered 552 while the session goes on. (Its memory is measured in
// the sinkhole's hardening tier: bdat-drain-memory.int.test.ts.)
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { useServers } from '../support/server-fixture.js';

const { start } = useServers();

function open(port: number): Promise<{ socket: Socket; replies: () => string; waitFor: (text: string) => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let seen = '';
    const waiters: { text: string; done: () => void }[] = [];
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      seen += chunk;
      for (const w of waiters.splice(0)) if (seen.includes(w.text)) w.done(); else waiters.push(w);
    });
    socket.once('error', reject);
    socket.once('connect', () =>
      resolve({
        socket,
        replies: () => seen,
        waitFor: (text) => new Promise((done) => (seen.includes(text) ? done() : waiters.push({ text, done }))),
      }),
    );
  });
}

describe('BDAT over a socket', () => {
  it('pipelined chunks in one write: each answered, the body arrives whole', async () => {
    const pieces: Buffer[] = [];
    const { port } = await start({ policy: () => ({ onDataChunk: (p) => void pieces.push(Buffer.from(p)) }) });
    const c = await open(port);
    c.socket.write('EHLO c\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nBDAT 7\r\nab\r\n.\r\nBDAT 6 LAST\r\nQUIT\r\nQUIT\r\n');
    await c.waitFor('221 ');
    expect(c.replies()).toContain('250 2.0.0 7 octets received\r\n250 2.0.0 OK: message accepted\r\n221 2.0.0 Bye');
    expect(Buffer.concat(pieces).toString()).toBe('ab\r\n.\r\nQUIT\r\n');
    c.socket.destroy();
  });

  it('a 100 MB chunk over a 1 MB limit is drained and answered 552; the next transaction works', async () => {
    let delivered = 0;
    const { port } = await start({ limits: { maxMessageSize: 1_000_000 }, policy: () => ({ onDataChunk: (p) => void (delivered += p.length) }) });
    const c = await open(port);
    const size = 100 * 1024 * 1024;
    c.socket.write(`EHLO c\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nBDAT ${size} LAST\r\n`);
    const block = Buffer.alloc(1024 * 1024, 0x78);
    for (let sent = 0; sent < size; sent += block.length) {
      if (!c.socket.write(block)) await new Promise((r) => c.socket.once('drain', r));
    }
    c.socket.write('MAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nBDAT 2 LAST\r\nokQUIT\r\n');
    await c.waitFor('221 ');
    expect(c.replies()).toContain('552 5.3.4 Message size exceeds fixed maximum message size\r\n250 2.1.0 OK\r\n250 2.1.5 OK\r\n250 2.0.0 OK: message accepted\r\n221');
    expect(delivered).toBe(2);
    c.socket.destroy();
  }, 60_000);
});
