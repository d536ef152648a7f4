import { afterAll, expect, it } from 'vitest';
import { freePort } from '@sinkhole/test-kit';
import { removeTestBundles, startBundle } from '../support/bundle.js';
import { runCheck } from '../support/sessions.js';

afterAll(async () => {
  await removeTestBundles();
});

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

it('check with a bad flag exits 2', async () => {
  const result = await runCheck(['--port', 'seventy']);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('--port: expected a whole number; got "seventy"');
});
