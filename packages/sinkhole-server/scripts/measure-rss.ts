// Measures the bundle's resident memory (what the 64 MB / 128 MB container limits apply to),
// started as the image, the package bin and `pnpm start` all start it (`node <bundle>`, no node
// flags): idle; under 200 concurrent sessions in accept mode with 1 KB messages flowing; one
// 100 MB message over the warmed-up RSS; and, in a fresh process, 10,000 idle connections. In
// env mode and in ssm mode (against the SSM stand-in, so the SDK is loaded). Linux only (/proc).
// Run: npx -y pnpm@10.34.9 --filter @sinkhole/sinkhole-server run measure-rss
// MEASURE_NODE=/path/to/node measures under another Node binary (e.g. the image's Node 24).
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { holdIdleConnections, memoryMb, releaseConnections, SinkholeProcess, SmtpTestClient, standInEnv, startSsmStandIn } from '@sinkhole/test-kit';
import { buildSinkhole } from '../build.mjs';

const SESSIONS = 200;
const LOAD_MS = 5_000;
const IDLE_SETTLE_MS = 1_000;
const IDLE_CONNECTIONS = 10_000;
const BIG_MESSAGE_BYTES = 100 * 1024 * 1024;
const NODE = process.env['MEASURE_NODE'] ?? process.execPath;
const BODY = `${`Subject: rss\r\nFrom: <a@example.test>\r\n\r\n${'x'.repeat(76)}\r\n`.repeat(12)}.\r\n`;

/** The bundle with no node flags; its log is counted, not kept (as a log driver takes it); the port comes from "listening". */
function startServer(bundle: string, args: readonly string[], env: Readonly<Record<string, string>>, dir: string): Promise<SinkholeProcess> {
  return SinkholeProcess.start({ node: NODE, bundle, args: ['--host', '127.0.0.1', '--port', '0', ...args], env, cwd: dir, keep: () => false });
}

async function expectCode(c: SmtpTestClient, code: number, waitMs?: number): Promise<string> {
  const r = await c.reply(waitMs);
  if (r.code !== code) throw new Error(`unexpected reply ${r.last}`);
  return r.last;
}

/** One lock-step session sending messages until `until()`; resolves with the count. */
async function session(port: number, until: () => boolean): Promise<number> {
  const c = await SmtpTestClient.connect(port);
  let sent = 0;
  try {
    await expectCode(c, 220);
    c.send('EHLO rss.test');
    await expectCode(c, 250);
    while (!until()) {
      c.write('MAIL FROM:<a@example.test>\r\nRCPT TO:<x@sinkhole.test>\r\nDATA\r\n');
      await expectCode(c, 250);
      await expectCode(c, 250);
      await expectCode(c, 354);
      c.write(BODY);
      await expectCode(c, 250);
      sent++;
    }
    c.send('QUIT');
    await expectCode(c, 221);
  } finally {
    c.destroy();
  }
  return sent;
}

/** One message of `bytes` body bytes on a fresh session, written 64 KB at a time; resolves with its final reply. */
async function bigMessage(port: number, bytes: number): Promise<string> {
  const c = await SmtpTestClient.connect(port);
  try {
    const piece = Buffer.from(`${'x'.repeat(1022)}\r\n`.repeat(64));
    await expectCode(c, 220);
    for (const [line, code] of [['EHLO rss.test', 250], ['MAIL FROM:<a@example.test>', 250], ['RCPT TO:<x@sinkhole.test>', 250], ['DATA', 354]] as const) {
      c.send(line);
      await expectCode(c, code);
    }
    for (let sent = 0; sent < bytes; sent += piece.length) {
      if (!c.write(piece)) await new Promise((r) => c.socket.once('drain', r));
    }
    c.write('\r\n.\r\n');
    const last = (await c.reply(120_000)).last;
    c.send('QUIT');
    return last;
  } finally {
    c.close();
  }
}

/** Peak RSS (sampled every 10 ms) while `work` runs. */
async function peakWhile(pid: number, work: () => Promise<unknown>): Promise<number> {
  let peak = memoryMb(pid).rss;
  const sampler = setInterval(() => (peak = Math.max(peak, memoryMb(pid).rss)), 10);
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  return Math.max(peak, memoryMb(pid).rss);
}

async function measure(label: string, bundle: string, args: readonly string[], env: Readonly<Record<string, string>>, dir: string): Promise<string> {
  const serverArgs = [...args, '--max-message-size', '128m'];
  const first = await startServer(bundle, serverArgs, env, dir);
  const { pid } = first;
  await sleep(IDLE_SETTLE_MS);
  const idle = memoryMb(pid);
  let stop = false;
  let counts: number[] = [];
  const started = Date.now();
  const timer = setTimeout(() => (stop = true), LOAD_MS);
  const peak = await peakWhile(pid, async () => {
    counts = await Promise.all(Array.from({ length: SESSIONS }, () => session(first.port, () => stop)));
  });
  const elapsed = (Date.now() - started) / 1000;
  clearTimeout(timer);
  const afterLoad = memoryMb(pid);
  await sleep(IDLE_SETTLE_MS);
  const warmed = memoryMb(pid).rss;
  let reply = '';
  const bigPeak = await peakWhile(pid, async () => {
    reply = await bigMessage(first.port, BIG_MESSAGE_BYTES);
  });
  if (!reply.startsWith('250')) throw new Error(`the 100 MB message got ${reply}`);
  await first.stop();

  const second = await startServer(bundle, serverArgs, env, dir);
  const idleSockets = await holdIdleConnections(second.port, IDLE_CONNECTIONS, { batch: 256 });
  await sleep(IDLE_SETTLE_MS);
  const held = memoryMb(second.pid);
  releaseConnections(idleSockets);
  await second.stop();
  const messages = counts.reduce((a, b) => a + b, 0);
  const mb = (n: number): string => n.toFixed(1);
  return (
    `| ${label} | ${mb(idle.rss)} | ${mb(peak)} | ${mb(afterLoad.hwm)} | ${Math.round(messages / elapsed)} | ` +
    `${mb(warmed)} → ${mb(bigPeak)} (+${mb(bigPeak - warmed)}) | ${mb(held.rss)} (VmHWM ${mb(held.hwm)}) |`
  );
}

const dir = await mkdtemp(join(tmpdir(), 'sinkhole-rss-'));
const standIn = await startSsmStandIn({ parameters: { '/cabal/sinkhole_mode': 'accept' } });
try {
  await buildSinkhole({ outdir: dir, entries: ['cli'], sourcemap: false });
  const bundle = join(dir, 'sinkhole-server.mjs');
  const ssmEnv = standInEnv(standIn.endpoint);
  const version = spawnSync(NODE, ['--version'], { encoding: 'utf8' }).stdout.trim();
  console.log(
    `node ${version}, started as \`node sinkhole-server.mjs\` with no node flags (as the image, the bin and pnpm start do); ` +
      `load: ${SESSIONS} concurrent lock-step sessions, 1 KB messages, ${LOAD_MS / 1000} s, accept mode, default log level (to a pipe, counted and dropped); ` +
      `then one 100 MB message; then, in a fresh process, ${IDLE_CONNECTIONS} idle greeted connections`,
  );
  console.log(
    `| mode source | idle RSS MB | peak RSS MB under load | VmHWM MB | messages/s | 100 MB message: warmed RSS → peak MB | RSS MB with ${IDLE_CONNECTIONS} idle connections |`,
  );
  console.log('|---|---|---|---|---|---|---|');
  console.log(await measure('env', bundle, ['--mode-source', 'env'], { SINKHOLE_MODE: 'accept' }, dir));
  console.log(await measure('ssm (stand-in, SDK loaded)', bundle, ['--mode-source', 'ssm'], ssmEnv, dir));
} finally {
  await standIn.close();
  await rm(dir, { recursive: true, force: true });
}
