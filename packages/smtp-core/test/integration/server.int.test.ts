import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { reply } from '../../src/index.js';
import { ManualClock } from '../support/protocol-harness.js';
import { useServers } from '../support/server-fixture.js';

const { start, client } = useServers();

/** Polls (vitest's vi.waitFor) until the predicate holds. */
async function waitFor(predicate: () => boolean, timeout = 5000): Promise<void> {
  await vi.waitFor(() => expect(predicate()).toBe(true), { timeout, interval: 10 });
}

/** A raw client that keeps its side open after the server's FIN (allowHalfOpen), as a stuck MTA would. */
async function halfOpenClient(port: number): Promise<{ write(text: string): void; readonly text: string; readonly ended: boolean }> {
  const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const state = { text: '', ended: false, write: (text: string) => void socket.write(text) };
  socket.on('data', (d: Buffer) => void (state.text += d.toString('latin1')));
  socket.on('end', () => void (state.ended = true));
  socket.on('error', () => undefined);
  halfOpen.push(socket);
  return state;
}
const halfOpen: Socket[] = [];

afterEach(() => {
  for (const s of halfOpen.splice(0)) s.destroy();
});

// Every behaviour on both carriers: libuv handles (the default) and net.Socket.
describe.each(['auto', 'sockets'] as const)('server over real connections (io: %s)', (io) => {
  it('listens on port 0 and reports the bound address', async () => {
    const { server, port } = await start({ io });
    expect(port).toBeGreaterThan(0);
    expect(server.address?.address).toBe('127.0.0.1');
  });

  it('SessionInfo carries both ends of the connection', async () => {
    let seen: { remote: string; local: string; localPort: number } | undefined;
    const { port } = await start({ io, policy: (s) => ({ onHelo: () => void (seen = { remote: s.remoteAddress, local: s.localAddress, localPort: s.localPort }) }) });
    const c = await client(port);
    await c.readLine();
    c.write('HELO c\r\n');
    await c.readLine();
    expect(seen).toEqual({ remote: '127.0.0.1', local: '127.0.0.1', localPort: port });
  });

  it('maxConnections: one more connection gets 421 4.7.0 and a clean close', async () => {
    const { port, server } = await start({ io, limits: { maxConnections: 2 } });
    const a = await client(port);
    const b = await client(port);
    await a.readLine();
    await b.readLine();
    const c = await client(port);
    expect(await c.readLine()).toBe('421 4.7.0 Too many connections, try again later');
    await c.expectClosed();
    expect(server.connectionCount).toBe(2);
    a.write('QUIT\r\n');
    await a.readLine();
    await waitFor(() => server.connectionCount === 1);
    const d = await client(port);
    expect(await d.readLine()).toMatch(/^220 /);
  });

  it('idleTimeoutMs: an idle client gets 421 4.4.2 and a clean close, on a manual clock (no sleeping)', async () => {
    const clock = new ManualClock();
    const { port, events } = await start({ io, limits: { idleTimeoutMs: 150 }, clock });
    const c = await client(port);
    expect(await c.readLine()).toMatch(/^220 /);
    const timedOut = (): boolean => events.some((e) => e.type === 'limit' && e.limit === 'idleTimeoutMs');
    // The idle clock ticks every 37 ms (a quarter of the deadline): quiet up to 149 ms...
    clock.advance(149);
    expect(timedOut()).toBe(false);
    // ...and the tick after the deadline closes the session: late by less than one tick, never early.
    clock.advance(36);
    expect(timedOut()).toBe(true);
    expect(await c.readLine()).toBe('421 4.4.2 Timeout exceeded, closing connection');
    await c.expectClosed();
    await waitFor(() => events.some((e) => e.type === 'close'));
    expect(events.find((e) => e.type === 'close')).toMatchObject({ reason: 'idle-timeout' });
  });

  it('idleTimeoutMs: every read and write moves the deadline on', async () => {
    const clock = new ManualClock();
    const { port, events } = await start({ io, limits: { idleTimeoutMs: 1000 }, clock });
    const c = await client(port);
    await c.readLine();
    for (let i = 0; i < 5; i++) {
      clock.advance(900);
      c.write('NOOP\r\n');
      expect(await c.readLine()).toBe('250 2.0.0 OK');
    }
    expect(events.some((e) => e.type === 'limit' && e.limit === 'idleTimeoutMs')).toBe(false);
    clock.advance(1250);
    expect(await c.readLine()).toBe('421 4.4.2 Timeout exceeded, closing connection');
  });

  it('closeDrainMs: a client that keeps its side open after the 421 is cut off when the drain ends (manual clock)', async () => {
    const clock = new ManualClock();
    const { port, server } = await start({ io, limits: { closeDrainMs: 5000 }, clock, policy: () => ({ onHelo: () => reply(421, '4.7.0', 'go away') }) });
    const socket = await halfOpenClient(port);
    socket.write('EHLO c\r\n');
    await waitFor(() => socket.text.includes('421 4.7.0 go away\r\n') && socket.ended);
    clock.advance(4900);
    expect(server.connectionCount).toBe(1);
    clock.advance(400);
    await waitFor(() => server.connectionCount === 0);
  });

  it('a 421 with pipelined input unread: the client reads the 421, then a FIN, never a reset', async () => {
    const { port } = await start({ io, policy: () => ({ onRcptTo: () => reply(421, '4.3.2', 'Service temporarily unavailable') }) });
    const c = await client(port);
    await c.readLine();
    const junk = 'NOOP\r\n'.repeat(20_000);
    c.write(`EHLO c\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nDATA\r\n${junk}`);
    const lines: string[] = [];
    for (;;) {
      const line = await c.readLine();
      lines.push(line);
      if (line.startsWith('421')) break;
    }
    expect(lines.at(-1)).toBe('421 4.3.2 Service temporarily unavailable');
    // Keep writing after the 421, as a slow client would; the server drains and then sees our FIN.
    c.write('QUIT\r\n');
    c.socket.end();
    await c.expectClosed();
    expect(c.error).toBeUndefined();
  });

  it('close(): idle sessions get 421 4.3.2 at once; a session in DATA finishes first', async () => {
    const { port, server } = await start({ io });
    const idle = await client(port);
    const busy = await client(port);
    await idle.readLine();
    await busy.readLine();
    busy.write('HELO c\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nDATA\r\npart one\r\n');
    for (let i = 0; i < 4; i++) await busy.readLine();
    await waitFor(() => server.connectionCount === 2);
    const closed = server.close({ graceMs: 5000 });
    expect(await idle.readLine()).toBe('421 4.3.2 Service shutting down, closing connection');
    await idle.expectClosed();
    busy.write('part two\r\n.\r\n');
    expect(await busy.readLine()).toBe('250 2.0.0 OK: message accepted');
    expect(await busy.readLine()).toBe('421 4.3.2 Service shutting down, closing connection');
    await busy.expectClosed();
    await closed;
    expect(server.connectionCount).toBe(0);
  });

  it('a client that resets in the middle of DATA does not disturb other sessions', async () => {
    const { port, events } = await start({ io });
    const other = await client(port);
    await other.readLine();
    const rude = await client(port);
    await rude.readLine();
    rude.write('HELO c\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nDATA\r\nhalf a mess');
    for (let i = 0; i < 4; i++) await rude.readLine();
    rude.socket.resetAndDestroy();
    await waitFor(() => events.filter((e) => e.type === 'close').length === 1);
    other.write('NOOP\r\n');
    expect(await other.readLine()).toBe('250 2.0.0 OK');
  });

  it('events never carry message bytes', async () => {
    const { port, events } = await start({ io, traceCommands: true, policy: () => ({ captureHeaders: true }) });
    const c = await client(port);
    await c.readLine();
    c.write('HELO c\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nDATA\r\nSubject: x\r\n\r\nBODY-TOKEN-8c1f\r\n.\r\nQUIT\r\n');
    await waitFor(() => events.some((e) => e.type === 'close'));
    const seen = new WeakSet<object>();
    const text = JSON.stringify(events, (_k, v: unknown) => {
      if (typeof v === 'object' && v !== null) {
        if (seen.has(v)) return '[seen]';
        seen.add(v);
      }
      return v instanceof Map ? Object.fromEntries(v) : v;
    });
    expect(text).not.toContain('BODY-TOKEN-8c1f');
    expect(events.filter((e) => e.type === 'command').map((e) => e.type === 'command' && e.verb)).toEqual(['HELO', 'MAIL', 'RCPT', 'DATA', 'QUIT']);
  });
});
