// A client that resets right after connecting, as a port scanner does. When the server has
// accepted the connection first, its address is in the connection line (it was read at
// accept time). When the reset reaches the kernel before the server accepts, the kernel
// refuses getpeername(2) and the line says "client": null rather than a made-up ":0".
import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { afterEach, expect, it, vi } from 'vitest';
import { startSinkhole, type Sinkhole } from '../../src/index.js';

const started: Sinkhole[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close({ graceMs: 100 })));
});

async function sinkhole(lines: string[]): Promise<Sinkhole> {
  const s = await startSinkhole({ hostname: 'sink.test', mode: 'accept', log: (line) => lines.push(line) });
  started.push(s);
  return s;
}

async function connectionLine(lines: string[]): Promise<Record<string, unknown>> {
  const line = await vi.waitFor(
    () => {
      const found = lines.find((l) => l.includes('"msg":"connection"'));
      if (found === undefined) throw new Error('no connection line yet');
      return found;
    },
    { timeout: 5_000, interval: 5 },
  );
  return JSON.parse(line) as Record<string, unknown>;
}

it('a client that resets after the greeting is logged with its address and port', async () => {
  const lines: string[] = [];
  const s = await sinkhole(lines);
  const localPort = await new Promise<number>((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: s.address.port });
    socket.once('data', () => {
      const port = socket.localPort as number;
      socket.resetAndDestroy();
      resolve(port);
    });
    socket.once('error', reject);
  });
  expect(await connectionLine(lines)).toMatchObject({ client: `127.0.0.1:${localPort}`, reason: 'socket-error' });
});

it('a client that resets before the server accepts is logged with client null, never ":0"', async () => {
  const lines: string[] = [];
  const s = await sinkhole(lines);
  // spawnSync blocks this event loop, so the kernel completes the handshake and takes the reset
  // before the server can accept the connection.
  const client = spawnSync(
    process.execPath,
    ['-e', `const s = require('node:net').connect(${s.address.port}, '127.0.0.1', () => s.resetAndDestroy()); s.on('error', () => {});`],
    { encoding: 'utf8', timeout: 10_000 },
  );
  expect(client.status).toBe(0);
  const line = await connectionLine(lines);
  expect(line).toMatchObject({ client: null });
  expect(lines.join('')).not.toContain('"client":":0"');
});
