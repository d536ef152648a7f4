import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir, SmtpTestClient, standInEnv, startSsmStandIn, type SsmStandIn } from '@sinkhole/test-kit';
import { removeTestBundles, startBundle } from '../support/bundle.js';

let standIn: SsmStandIn;
let dir: string;
let preload: string;

beforeAll(async () => {
  standIn = await startSsmStandIn({ parameters: { '/cabal/sinkhole_mode': 'bounce' } });
  dir = await makeTempDir('ssm');
  // Reports, at exit, whether the process ever loaded the built-ins only the AWS SDK uses.
  preload = join(dir, 'report-builtins.mjs');
  await writeFile(
    preload,
    "process.on('exit', () => { process.stderr.write('BUILTINS ' + JSON.stringify(process.moduleLoadList.filter((m) => /^NativeModule (http2|https)$/.test(m))) + '\\n'); });\n",
  );
});
afterAll(async () => {
  await removeTestBundles();
  await standIn.close();
  await removeDir(dir);
});

function awsEnv(): Record<string, string> {
  return { ...standInEnv(standIn.endpoint), NODE_OPTIONS: `--import ${preload}` };
}

async function rcptReply(port: number): Promise<string> {
  const c = await SmtpTestClient.connect(port);
  await c.reply();
  await c.command('EHLO client.test');
  await c.command('MAIL FROM:<a@example.test>');
  const r = await c.command('RCPT TO:<x@sinkhole.test>');
  if (r.code !== 421) await c.command('QUIT');
  c.close();
  return r.last;
}

function builtinsLoaded(stderr: string): string[] {
  const line = stderr.split('\n').find((l) => l.startsWith('BUILTINS '));
  if (line === undefined) throw new Error(`no BUILTINS report in stderr:\n${stderr}`);
  return JSON.parse(line.slice('BUILTINS '.length)) as string[];
}

describe('ssm mode source (the bundle against the SSM stand-in)', () => {
  it('reads /cabal/sinkhole_mode through the bundled SDK, and a changed value applies once the cache expires', async () => {
    standIn.setValue('bounce');
    const s = await startBundle(['--port', '0', '--mode-source', 'ssm', '--ssm-parameter', '/cabal/sinkhole_mode', '--cache-ttl', '0s'], awsEnv());
    expect(s.lines[0]).toMatchObject({ msg: 'listening', modeSource: 'ssm:/cabal/sinkhole_mode', mode: 'bounce' });
    expect(await rcptReply(s.port)).toBe('550 5.1.1 User unknown');
    standIn.setValue('reply:452 4.2.2 Mailbox full');
    expect(await rcptReply(s.port)).toBe('452 4.2.2 Mailbox full');
    expect(await s.waitForLine((l) => l.msg === 'mode-changed')).toMatchObject({
      from: 'bounce',
      to: 'reply:452 4.2.2 Mailbox full',
      source: 'ssm:/cabal/sinkhole_mode',
    });
    await s.stop();
    expect(builtinsLoaded(s.stderr)).toContain('NativeModule http2');
  });

  it('with the 30 s default TTL, one SSM call serves many connections', async () => {
    standIn.setValue('accept');
    const before = standIn.requestCount;
    const s = await startBundle(['--port', '0', '--mode-source', 'ssm'], awsEnv());
    for (let i = 0; i < 5; i++) expect(await rcptReply(s.port)).toBe('250 2.1.5 OK');
    expect(standIn.requestCount - before).toBe(1);
    await s.stop();
  });

  it('an SSM error streak is logged once, and the last good mode is kept', async () => {
    standIn.setValue('accept');
    const s = await startBundle(['--port', '0', '--mode-source', 'ssm', '--cache-ttl', '0s'], awsEnv());
    standIn.setFault('500');
    try {
      for (let i = 0; i < 3; i++) expect(await rcptReply(s.port)).toBe('250 2.1.5 OK');
      const warning = await s.waitForLine((l) => l.msg === 'mode-provider-error');
      expect(warning).toMatchObject({ level: 'warn', source: 'ssm:/cabal/sinkhole_mode', usingMode: 'accept', usingStale: true });
      expect(s.linesWith('mode-provider-error')).toHaveLength(1);
    } finally {
      standIn.setFault(null);
    }
    await s.stop();
  });

  it('without any good value (parameter missing) the sinkhole defers', async () => {
    standIn.deleteValue();
    const s = await startBundle(['--port', '0', '--mode-source', 'ssm'], awsEnv());
    expect(s.lines[0]).toMatchObject({ msg: 'listening', mode: 'defer' });
    expect(await rcptReply(s.port)).toBe('421 4.3.2 Service temporarily unavailable');
    expect(await s.waitForLine((l) => l.msg === 'mode-provider-error')).toMatchObject({ code: 'ERR_MODE_SOURCE_NOT_FOUND', usingMode: 'defer' });
    await s.stop();
    standIn.setValue('defer');
  });
});

it('env mode never evaluates the bundled SSM SDK', async () => {
  const s = await startBundle(['--port', '0', '--mode-source', 'env'], { ...awsEnv(), SINKHOLE_MODE: 'accept' });
  expect(await rcptReply(s.port)).toBe('250 2.1.5 OK');
  await s.stop();
  expect(builtinsLoaded(s.stderr)).toEqual([]);
});
