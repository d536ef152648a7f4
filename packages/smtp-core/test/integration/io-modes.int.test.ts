import { connect } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { createSmtpServer, selfSignedCertificate } from '../../src/index.js';
import { handleSupport } from '../../src/tcp-handle.js';
import { useServers } from '../support/server-fixture.js';

const { start } = useServers();

/** A raw client: what it sent, everything it got back, and how the server ended the connection. */
async function exchange(port: number, text: string, half: boolean): Promise<{ readonly received: string; readonly ending: 'end' | 'error' }> {
  const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  let received = '';
  socket.on('data', (d: Buffer) => void (received += d.toString('latin1')));
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.write(text);
  if (half) socket.end();
  const ending = await new Promise<'end' | 'error'>((resolve) => {
    socket.once('end', () => resolve('end'));
    socket.once('error', () => resolve('error'));
  });
  socket.destroy();
  return { received, ending };
}

describe('what carries the connections', () => {
  it('is libuv handles by default on this Node, and sockets when asked or with TLS', async () => {
    expect(handleSupport()).toBeNull();
    expect((await start()).server.ioMode).toBe('handles');
    expect((await start({ io: 'sockets' })).server.ioMode).toBe('sockets');
    const { key, cert } = selfSignedCertificate('mx.test');
    expect((await start({ tls: { key, cert } })).server.ioMode).toBe('sockets');
  });

  it('rejects an unknown io option by name', () => {
    expect(() => createSmtpServer({ io: 'raw' as 'auto' })).toThrow(/io: must be 'auto' or 'sockets', got "raw"/);
  });
});

describe.each(['auto', 'sockets'] as const)('connections (io: %s)', (io) => {
  it('a client that half-closes after its commands gets every reply, then a FIN', async () => {
    const { port, events } = await start({ io });
    const { received, ending } = await exchange(port, 'EHLO c\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nDATA\r\nSubject: x\r\n\r\nhi\r\n.\r\n', true);
    expect(ending).toBe('end');
    expect(received).toMatch(/^220 [\s\S]*250 2\.0\.0 [^\r\n]*\r\n421 4\.4\.2 [^\r\n]*\r\n$|^220 [\s\S]*250 2\.0\.0 [^\r\n]*\r\n$/);
    await vi.waitFor(() => expect(events.some((e) => e.type === 'close')).toBe(true));
  });

  it('QUIT: 221, a FIN, and the close event once the client closes too', async () => {
    const { port, events, server } = await start({ io });
    const { received, ending } = await exchange(port, 'HELO c\r\nQUIT\r\n', false);
    expect(ending).toBe('end');
    expect(received).toMatch(/\r\n221 [^\r\n]*\r\n$/);
    await vi.waitFor(() => expect(server.connectionCount).toBe(0));
    const close = events.find((e) => e.type === 'close');
    expect(close?.type === 'close' && close.reason).toBe('quit');
  });

  it('a client that resets right after connecting is closed and forgotten, and nothing throws', async () => {
    const { port, events, server } = await start({ io });
    for (let i = 0; i < 20; i++) {
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      await new Promise<void>((resolve) => socket.once('connect', resolve));
      socket.resetAndDestroy();
    }
    await vi.waitFor(() => expect(events.filter((e) => e.type === 'close')).toHaveLength(20));
    expect(server.connectionCount).toBe(0);
  });

  it('many short connections in parallel all get their replies', async () => {
    const { port, server } = await start({ io });
    const results = await Promise.all(Array.from({ length: 50 }, () => exchange(port, 'HELO c\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nDATA\r\n.\r\nQUIT\r\n', false)));
    for (const r of results) expect(r.received).toMatch(/^220 [\s\S]*354 [\s\S]*250 [\s\S]*221 [^\r\n]*\r\n$/);
    await vi.waitFor(() => expect(server.connectionCount).toBe(0));
  });
});
