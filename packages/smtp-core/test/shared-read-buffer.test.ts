import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSmtpServer, type SmtpServer } from '../src/index.js';
import { ACCEPT_PAUSED, redirectReading, sharedReadBuffer, startReading, type ChunkSink } from '../src/shared-read-buffer.js';

const servers: Server[] = [];
const smtpServers: SmtpServer[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(smtpServers.splice(0).map((server) => server.close({ graceMs: 200 })));
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A server with `options`, one client connected to it, and the server's side of that connection. */
async function pair(options: { pauseOnConnect?: boolean }): Promise<{ accepted: Socket; client: Socket }> {
  const server = createServer(options);
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address !== 'object') throw new Error('no address');
  const client = connect(address.port, '127.0.0.1');
  sockets.push(client);
  const [accepted] = (await once(server, 'connection')) as [Socket];
  sockets.push(accepted);
  return { accepted, client };
}

/** Collects copies of the chunks (made during the call, as the contract requires). */
function collector(): ChunkSink & { readonly text: string; readonly shared: boolean[] } {
  const state = {
    text: '',
    shared: [] as boolean[],
    received(chunk: Buffer): void {
      state.text += chunk.toString('latin1');
      state.shared.push(chunk.buffer === sharedReadBuffer().buffer);
    },
  };
  return state;
}

const waitFor = (predicate: () => boolean): Promise<void> => vi.waitFor(() => expect(predicate()).toBe(true), { timeout: 5000, interval: 5 });

describe('shared read buffer', () => {
  // The pin: this fails if a Node release changes lib/net.js so that the fast path silently
  // falls back to a buffer per read (the RSS growth of a large DATA would come back).
  it('an accepted socket of a pauseOnConnect server reads into the one shared buffer', async () => {
    const { accepted, client } = await pair(ACCEPT_PAUSED);
    const sink = collector();
    expect(startReading(accepted, sink)).toBe('shared-buffer');
    client.write('hello');
    await waitFor(() => sink.text === 'hello');
    expect(sink.shared.every(Boolean)).toBe(true);
  });

  it('two sockets share it, and each chunk is intact during its call', async () => {
    const a = await pair(ACCEPT_PAUSED);
    const b = await pair(ACCEPT_PAUSED);
    const sinkA = collector();
    const sinkB = collector();
    startReading(a.accepted, sinkA);
    startReading(b.accepted, sinkB);
    for (let i = 0; i < 20; i++) {
      a.client.write(`a${i};`);
      b.client.write(`bb${i};`);
    }
    const expected = (prefix: string): string => Array.from({ length: 20 }, (_, i) => `${prefix}${i};`).join('');
    await waitFor(() => sinkA.text === expected('a') && sinkB.text === expected('bb'));
  });

  it('pause() stops reading from the kernel and resume() starts again, losing nothing', async () => {
    const { accepted, client } = await pair(ACCEPT_PAUSED);
    const sink = collector();
    startReading(accepted, sink);
    client.write('one;');
    await waitFor(() => sink.text === 'one;');
    accepted.pause();
    expect((accepted as unknown as { _handle: { reading: boolean } })._handle.reading).toBe(false);
    client.write('two;');
    await new Promise((resolve) => client.write('', resolve));
    accepted.resume();
    await waitFor(() => sink.text === 'one;two;');
  });

  it("'end' and 'close' still come after the last chunk", async () => {
    const { accepted, client } = await pair(ACCEPT_PAUSED);
    const sink = collector();
    const order: string[] = [];
    accepted.on('end', () => order.push(`end after ${sink.text}`));
    accepted.on('close', () => order.push('close'));
    startReading(accepted, sink);
    client.end('last words');
    await waitFor(() => order.length === 2);
    expect(order).toEqual(['end after last words', 'close']);
  });

  it('redirectReading sends later chunks to another sink, or drops them', async () => {
    const { accepted, client } = await pair(ACCEPT_PAUSED);
    const first = collector();
    const second = collector();
    startReading(accepted, first);
    client.write('1;');
    await waitFor(() => first.text === '1;');
    redirectReading(accepted, second);
    client.write('2;');
    await waitFor(() => second.text === '2;');
    redirectReading(accepted, undefined);
    client.write('3;');
    redirectReading(accepted, first);
    client.write('4;');
    await waitFor(() => first.text.endsWith('4;'));
    expect(first.text === '1;4;' || first.text === '1;3;4;').toBe(true);
    expect(second.text).toBe('2;');
  });

  it("a socket that is already reading falls back to 'data' events with their own buffers", async () => {
    const { accepted, client } = await pair({});
    const sink = collector();
    expect(startReading(accepted, sink)).toBe('data-events');
    client.write('plain');
    await waitFor(() => sink.text === 'plain');
    expect(sink.shared.some(Boolean)).toBe(false);
    redirectReading(accepted, undefined);
  });
});

describe('the SMTP server on the shared read buffer', () => {
  async function smtpServer(options: Parameters<typeof createSmtpServer>[0] = {}): Promise<number> {
    const server = createSmtpServer({ hostname: 'mx.test', ...options });
    smtpServers.push(server);
    return (await server.listen(0, '127.0.0.1')).port;
  }

  async function smtpClient(port: number): Promise<{ socket: Socket; replies: () => string }> {
    const socket = connect(port, '127.0.0.1');
    sockets.push(socket);
    let text = '';
    socket.on('data', (d: Buffer) => void (text += d.toString('latin1')));
    await waitFor(() => text.startsWith('220 '));
    return { socket, replies: () => text };
  }

  it('reads plain connections into it (the last command read is in the buffer)', async () => {
    const port = await smtpServer();
    const c = await smtpClient(port);
    const probe = 'NOOP shared-buffer-probe\r\n';
    c.socket.write(probe);
    await waitFor(() => c.replies().includes('250 '));
    expect(sharedReadBuffer().toString('latin1', 0, probe.length)).toBe(probe);
  });

  it('a pipelined message held behind a pending hook arrives intact while other connections overwrite the buffer', async () => {
    let release: (() => void) | undefined;
    const bodies: Buffer[][] = [];
    const port = await smtpServer({
      policy: () => {
        const chunks: Buffer[] = [];
        bodies.push(chunks);
        return {
          onMailFrom: (from) => (from.address === 'held@example.test' ? new Promise<undefined>((resolve) => (release = () => resolve(undefined))) : undefined),
          onDataChunk: (chunk) => void chunks.push(Buffer.from(chunk)),
        };
      },
    });
    const held = await smtpClient(port);
    const body = `Subject: kept\r\n\r\n${'held body line\r\n'.repeat(200)}`;
    held.socket.write(`EHLO a.test\r\nMAIL FROM:<held@example.test>\r\nRCPT TO:<x@example.test>\r\nDATA\r\n${body}.\r\nQUIT\r\n`);
    await waitFor(() => release !== undefined);
    const noisy = await smtpClient(port);
    for (let i = 0; i < 50; i++) noisy.socket.write(`NOOP ${'z'.repeat(400)}\r\n`);
    await waitFor(() => (noisy.replies().match(/^250 /gm) ?? []).length === 50);
    release?.();
    await waitFor(() => held.replies().includes('221 '));
    expect(held.replies()).toMatch(/354 [^\n]*\n250 [^\n]*\n221 /);
    expect(Buffer.concat(bodies[0] ?? []).toString('latin1')).toBe(body);
  });
});
