// Sinkhole behaviour whose check is a wall-clock bound: out of the fast tier.
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, expect, it } from 'vitest';
import { removeTestBundles, startBundle } from '../support/bundle.js';
import { inDataSession, runCheck } from '../support/sessions.js';

afterAll(async () => {
  await removeTestBundles();
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

it('the grace period bounds the wait: a stuck session is cut when --shutdown-grace ends, and the exit is still 0', async () => {
  const s = await startBundle(['--port', '0', '--shutdown-grace', '300ms'], { SINKHOLE_MODE: 'accept' });
  const busy = await inDataSession(s.port);
  const started = Date.now();
  s.signal('SIGTERM');
  expect(await s.exited).toEqual({ code: 0, signal: null });
  expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  const ended = await busy.ending();
  expect(['eof', 'reset']).toContain(ended.ending);
  busy.destroy();
  expect(s.linesWith('connection')[0]).toMatchObject({ reason: 'destroyed' });
});
