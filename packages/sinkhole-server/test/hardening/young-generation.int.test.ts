// Memory that needs no node flags: the bundle, started as the image starts it (`node` with no
// flags), keeps V8's young generation at the size it had when main.ts set the growth factor
// to 1. Without that line, 4,000 transactions from 20 sessions double it at least once (to
// 4 MB on Node 20) and a steady flow takes it to 32 MB (Node 20) or 128 MB (Node 24).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, removeDir, SmtpTestClient } from '@sinkhole/test-kit';
import { afterAll, expect, it } from 'vitest';
import { removeTestBundles, startBundle } from '../support/bundle.js';

const SESSIONS = 20;
const MESSAGES_PER_SESSION = 200;
const MB = 1024 * 1024;

let dir: string | undefined;
afterAll(async () => {
  await removeTestBundles();
  if (dir !== undefined) await removeDir(dir);
});

// Loaded with --import into the server: writes the young generation's size on SIGUSR2.
const PROBE = `import v8 from 'node:v8';
import { writeFileSync } from 'node:fs';
process.on('SIGUSR2', () => {
  const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  writeFileSync(process.env.YOUNG_GENERATION_OUT, String(space.space_size));
});`;

async function youngGenerationBytes(pid: number, out: string): Promise<number> {
  writeFileSync(out, '');
  process.kill(pid, 'SIGUSR2');
  for (;;) {
    const text = readFileSync(out, 'utf8');
    if (text !== '') return Number(text);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function transactions(port: number, count: number): Promise<void> {
  const c = await SmtpTestClient.connect(port);
  await c.reply();
  await c.command('EHLO young.test');
  for (let i = 0; i < count; i++) {
    await c.command('MAIL FROM:<a@example.test>');
    await c.command('RCPT TO:<x@sinkhole.test>');
    await c.command('DATA');
    const done = await c.command(`Subject: ${i}\r\n\r\n${'x'.repeat(900)}\r\n.`);
    expect(done.code).toBe(250);
  }
  await c.command('QUIT');
  c.close();
}

it(`the young generation does not grow under ${SESSIONS * MESSAGES_PER_SESSION} transactions, with no node flags`, async () => {
  dir = await makeTempDir('young-generation-');
  const probe = join(dir, 'probe.mjs');
  const out = join(dir, 'new-space');
  writeFileSync(probe, PROBE);
  const server = await startBundle(['--port', '0'], { SINKHOLE_MODE: 'accept', YOUNG_GENERATION_OUT: out }, { nodeFlags: ['--import', probe] });
  const before = await youngGenerationBytes(server.pid, out);
  await Promise.all(Array.from({ length: SESSIONS }, () => transactions(server.port, MESSAGES_PER_SESSION)));
  const after = await youngGenerationBytes(server.pid, out);
  expect(before).toBeLessThanOrEqual(2 * MB);
  expect(after).toBe(before);
  await server.stop();
}, 120_000);
