import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeTempDir, removeDir, SmtpTestClient, writeAtomically } from '@sinkhole/test-kit';
import { removeTestBundles, startBundle } from '../support/bundle.js';

let dir: string;

beforeAll(async () => {
  dir = await makeTempDir('flip');
});
afterAll(async () => {
  await removeTestBundles();
  await removeDir(dir);
});

it('a mode flip through the file source applies to the next connection and not to an open session', async () => {
  const modeFile = join(dir, 'mode');
  await writeAtomically(modeFile, 'defer\n');
  const s = await startBundle([
    '--host', '127.0.0.1', '--port', '0', '--mode-source', 'file', '--mode-file', modeFile, '--cache-ttl', '0s', '--hostname', 'sink.test',
  ]);
  expect(s.lines[0]).toMatchObject({ msg: 'listening', modeSource: `file:${modeFile}`, mode: 'defer' });

  const open = await SmtpTestClient.connect(s.port);
  expect((await open.reply()).code).toBe(220);
  await open.command('EHLO old.test');

  await writeAtomically(modeFile, 'accept\n');
  const fresh = await SmtpTestClient.connect(s.port);
  expect((await fresh.reply()).code).toBe(220);
  await fresh.command('EHLO new.test');
  await fresh.command('MAIL FROM:<a@example.test>');
  expect((await fresh.command('RCPT TO:<x@sinkhole.test>')).last).toBe('250 2.1.5 OK');
  await fresh.command('QUIT');
  fresh.close();

  // The session opened before the flip keeps defer.
  await open.command('MAIL FROM:<a@example.test>');
  expect((await open.command('RCPT TO:<x@sinkhole.test>')).last).toBe('421 4.3.2 Service temporarily unavailable');
  expect((await open.ending()).ending).toBe('eof');
  open.close();

  const changed = await s.waitForLine((l) => l.msg === 'mode-changed');
  expect(changed).toMatchObject({ level: 'info', from: 'defer', to: 'accept', source: `file:${modeFile}` });
  const connections = await s.waitForCount('connection', 2);
  expect(connections.map((l) => [l['helo'], l['mode']])).toEqual([['new.test', 'accept'], ['old.test', 'defer']]);
  await s.stop();
});

it('an invalid mode file never turns into acceptance: the last good mode stays and one warning is logged', async () => {
  const modeFile = join(dir, 'mode-invalid');
  await writeAtomically(modeFile, 'bounce\n');
  const s = await startBundle(['--port', '0', '--mode-source', 'file', '--mode-file', modeFile, '--cache-ttl', '0s']);
  await writeAtomically(modeFile, 'acept\n');
  for (let i = 0; i < 3; i++) {
    const c = await SmtpTestClient.connect(s.port);
    await c.reply();
    await c.command('HELO x.test');
    await c.command('MAIL FROM:<>');
    expect((await c.command('RCPT TO:<x@sinkhole.test>')).code).toBe(550);
    await c.command('QUIT');
    c.close();
  }
  const warning = await s.waitForLine((l) => l.msg === 'mode-provider-error');
  expect(warning).toMatchObject({ level: 'warn', code: 'ERR_MODE_SOURCE_INVALID', usingMode: 'bounce', usingStale: true });
  expect(String(warning['error'])).toContain('unknown mode "acept"');
  await s.waitForCount('connection', 3);
  expect(s.linesWith('mode-provider-error')).toHaveLength(1);
  await s.stop();
});
