import { connect } from 'node:net';
import { afterAll, expect, it } from 'vitest';
import { SmtpTestClient } from '@sinkhole/test-kit';
import { removeTestBundles, startBundle } from '../support/bundle.js';
import { inDataSession } from '../support/sessions.js';

afterAll(async () => {
  await removeTestBundles();
});

function connectOutcome(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

it('SIGTERM: idle sessions get 421 4.3.2 at once, a session in DATA finishes with 250 then 421, and the process exits 0', async () => {
  const s = await startBundle(['--port', '0', '--mode-source', 'env', '--hostname', 'sink.test'], { SINKHOLE_MODE: 'accept' });
  const idle = await SmtpTestClient.connect(s.port);
  await idle.reply();
  await idle.command('EHLO idle.test');
  const busy = await inDataSession(s.port);

  s.signal('SIGTERM');
  expect((await idle.reply()).last).toBe('421 4.3.2 Service shutting down, closing connection');
  expect((await idle.ending()).ending).toBe('eof');
  idle.close();
  const shutting = await s.waitForLine((l) => l.msg === 'shutting-down');
  expect(shutting).toMatchObject({ reason: 'SIGTERM', graceMs: 100_000, connections: 2 });

  // Still running for the session in DATA; new connections are refused.
  expect(s.child.exitCode).toBeNull();
  expect(await connectOutcome(s.port)).toBe('ECONNREFUSED');

  busy.write('second half\r\n.\r\n');
  expect((await busy.reply()).last).toBe('250 2.0.0 OK: message accepted');
  expect((await busy.reply()).last).toBe('421 4.3.2 Service shutting down, closing connection');
  expect((await busy.ending()).ending).toBe('eof');
  busy.close();

  expect(await s.exited).toEqual({ code: 0, signal: null });
  expect(s.lines.at(-1)).toMatchObject({ msg: 'stopped', reason: 'SIGTERM' });
  expect(s.linesWith('accepted')).toHaveLength(1);
  expect(s.linesWith('connection').map((l) => l['reason'])).toEqual(['shutdown', 'shutdown']);
});

it('SIGINT with no sessions exits 0 at once', async () => {
  const s = await startBundle(['--port', '0']);
  s.signal('SIGINT');
  expect(await s.exited).toEqual({ code: 0, signal: null });
  expect(s.lines.map((l) => l.msg)).toEqual(['listening', 'shutting-down', 'stopped']);
});

it('a second signal during the grace period exits at once with status 1', async () => {
  const s = await startBundle(['--port', '0'], { SINKHOLE_MODE: 'accept' });
  const busy = await inDataSession(s.port);
  s.signal('SIGTERM');
  await s.waitForLine((l) => l.msg === 'shutting-down');
  s.signal('SIGTERM');
  expect(await s.exited).toEqual({ code: 1, signal: null });
  expect(s.lines.at(-1)).toMatchObject({ msg: 'forced-exit', connections: 1 });
  busy.destroy();
});
