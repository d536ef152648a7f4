import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, expect, it } from 'vitest';
import { freePort, type SinkholeProcess } from '@sinkhole/test-kit';
import { removeTestBundles, startBundle, spawnBundle } from '../support/bundle.js';

afterAll(async () => {
  await removeTestBundles();
});

async function runCheck(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<{ code: number | null; line: SinkholeProcess['lines'][number] | undefined; stderr: string }> {
  const proc = await spawnBundle(['check', ...args], env);
  const { code } = await proc.exited;
  return { code, line: proc.lines[0], stderr: proc.stderr };
}

it('check exits 0 on a running sinkhole, after a 220 greeting and a polite QUIT', async () => {
  const s = await startBundle(['--port', '0', '--hostname', 'sink.test']);
  const result = await runCheck(['--host', '127.0.0.1', '--port', String(s.port)]);
  expect(result.code).toBe(0);
  expect(result.line).toMatchObject({ msg: 'check', ok: true, greeting: '220 sink.test ESMTP ready' });
  const connection = await s.waitForLine((l) => l.msg === 'connection');
  expect(connection).toMatchObject({ reason: 'quit', replies: [220, 221] });
  await s.stop();
});

it('check reads SINKHOLE_HOST and SINKHOLE_PORT like the server, and a wildcard host means loopback', async () => {
  const s = await startBundle(['--port', '0']);
  const result = await runCheck([], { SINKHOLE_HOST: '0.0.0.0', SINKHOLE_PORT: String(s.port) });
  expect(result.code).toBe(0);
  expect(result.line).toMatchObject({ ok: true, host: '127.0.0.1', port: s.port });
  await s.stop();
});

it('check exits 1 against a closed port', async () => {
  const port = await freePort();
  const result = await runCheck(['--port', String(port)]);
  expect(result.code).toBe(1);
  expect(result.line).toMatchObject({ ok: false, level: 'error' });
  expect(String(result.line?.['problem'])).toContain('ECONNREFUSED');
});

it('check exits 1 on a greeting other than 220, and on silence within --timeout', async () => {
  const servers: Server[] = [];
  const sockets: Socket[] = [];
  const listen = (onConnection: (socket: Socket) => void): Promise<number> =>
    new Promise((resolve) => {
      const server = createServer((socket) => {
        sockets.push(socket);
        onConnection(socket);
      });
      servers.push(server);
      server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
    });
  const refusing = await listen((socket) => socket.end('554 5.7.1 No service here\r\n'));
  const silent = await listen(() => undefined);
  try {
    const refused = await runCheck(['--port', String(refusing)]);
    expect(refused.code).toBe(1);
    expect(refused.line).toMatchObject({ ok: false, greeting: '554 5.7.1 No service here' });
    const started = Date.now();
    const timedOut = await runCheck(['--port', String(silent), '--timeout', '300ms']);
    expect(timedOut.code).toBe(1);
    expect(String(timedOut.line?.['problem'])).toContain('no greeting within 300 ms');
    expect(Date.now() - started).toBeLessThan(5_000);
  } finally {
    for (const socket of sockets) socket.destroy();
    for (const server of servers) server.close();
  }
});

it('check with a bad flag exits 2', async () => {
  const result = await runCheck(['--port', 'seventy']);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('--port: expected a whole number; got "seventy"');
});
