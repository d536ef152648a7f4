// Measures the bundle's resident memory (what the 64 MB / 128 MB container limits apply to),
// started as the image, the package bin and `pnpm start` all start it (`node <bundle>`, no node
// flags): idle; under 200 concurrent sessions in accept mode with 1 KB messages flowing; one
// 100 MB message over the warmed-up RSS; and, in a fresh process, 10,000 idle connections. In
// env mode and in ssm mode (against the SSM stand-in, so the SDK is loaded). Linux only (/proc).
// Run: npx -y pnpm@10.34.9 --filter @sinkhole/sinkhole-server run measure-rss
// MEASURE_NODE=/path/to/node measures under another Node binary (e.g. the image's Node 24).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { standInClientConfig, startSsmStandIn } from '@sinkhole/test-kit';
import { buildSinkhole } from '../build.mjs';

const SESSIONS = 200;
const LOAD_MS = 5_000;
const IDLE_SETTLE_MS = 1_000;
const IDLE_CONNECTIONS = 10_000;
const BIG_MESSAGE_BYTES = 100 * 1024 * 1024;
const NODE = process.env['MEASURE_NODE'] ?? process.execPath;
const BODY = `Subject: rss\r\nFrom: <a@example.test>\r\n\r\n${'x'.repeat(76)}\r\n`.repeat(12) + '.\r\n';

function memory(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

/** Starts the bundle with its log going to a file (as to a log driver), and reads the bound port from it. */
async function startServer(bundle: string, nodeFlags: readonly string[], args: readonly string[], env: NodeJS.ProcessEnv, dir: string): Promise<{ child: ChildProcess; port: number }> {
  const logFile = join(dir, `log-${Date.now()}.jsonl`);
  const fd = openSync(logFile, 'w');
  const child = spawn(NODE, [...nodeFlags, bundle, '--host', '127.0.0.1', '--port', '0', ...args], { env, stdio: ['ignore', fd, 'inherit'], cwd: tmpdir() });
  closeSync(fd);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const first = readFileSync(logFile, 'utf8').split('\n')[0] ?? '';
    if (first.endsWith('}')) {
      const parsed = JSON.parse(first) as { msg: string; port: number };
      if (parsed.msg !== 'listening') throw new Error(`unexpected first line: ${first}`);
      return { child, port: parsed.port };
    }
    if (child.exitCode !== null || Date.now() > deadline) throw new Error('the server did not start');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** One lock-step session sending messages until stop() ; resolves with the count. */
function session(port: number, until: () => boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let buffered = '';
    let step = 0;
    let sent = 0;
    const next = (): void => {
      if (until()) {
        socket.end('QUIT\r\n');
        return;
      }
      step = 1;
      socket.write('MAIL FROM:<a@example.test>\r\nRCPT TO:<x@sinkhole.test>\r\nDATA\r\n');
    };
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      let index: number;
      while ((index = buffered.indexOf('\r\n')) !== -1) {
        const line = buffered.slice(0, index);
        buffered = buffered.slice(index + 2);
        if (line[3] === '-') continue;
        const code = Number(line.slice(0, 3));
        if (step === 0) {
          if (code === 220) socket.write('EHLO rss.test\r\n');
          else next();
        } else if (code === 354) {
          socket.write(BODY);
        } else if (code === 250 && line.includes('message accepted')) {
          sent++;
          next();
        } else if (code >= 400) {
          reject(new Error(`unexpected reply ${line}`));
        }
      }
    });
    socket.on('close', () => resolve(sent));
    socket.on('error', reject);
  });
}

/** Holds `count` greeted connections open (opened 256 at a time); returns a function that closes them. */
async function holdIdle(port: number, count: number): Promise<() => void> {
  const sockets: import('node:net').Socket[] = [];
  for (let opened = 0; opened < count; opened += 256) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(256, count - opened) }, () =>
        new Promise<import('node:net').Socket>((resolve, reject) => {
          const socket = connect({ host: '127.0.0.1', port });
          socket.once('data', () => resolve(socket));
          socket.once('error', reject);
        }),
      ),
    );
    sockets.push(...batch);
  }
  return () => {
    for (const socket of sockets) socket.destroy();
  };
}

/** One message of `bytes` body bytes on a fresh session, written 64 KB at a time; resolves with its final reply. */
function bigMessage(port: number, bytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const piece = Buffer.from(`${'x'.repeat(1022)}\r\n`.repeat(64));
    const steps = ['EHLO rss.test\r\n', 'MAIL FROM:<a@example.test>\r\n', 'RCPT TO:<x@sinkhole.test>\r\n', 'DATA\r\n'];
    let buffered = '';
    const send = async (): Promise<void> => {
      for (let sent = 0; sent < bytes; sent += piece.length) {
        if (!socket.write(piece)) await new Promise((r) => socket.once('drain', r));
      }
      socket.write('\r\n.\r\n');
    };
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      let index: number;
      while ((index = buffered.indexOf('\r\n')) !== -1) {
        const line = buffered.slice(0, index);
        buffered = buffered.slice(index + 2);
        if (line[3] === '-') continue;
        const next = steps.shift();
        if (next !== undefined) socket.write(next);
        else if (line.startsWith('354')) void send().catch(reject);
        else {
          socket.end('QUIT\r\n');
          resolve(line);
        }
      }
    });
    socket.on('error', reject);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Peak RSS (sampled every 10 ms) while `work` runs. */
async function peakWhile(pid: number, work: () => Promise<unknown>): Promise<number> {
  let peak = memory(pid).rss;
  const sampler = setInterval(() => (peak = Math.max(peak, memory(pid).rss)), 10);
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  return Math.max(peak, memory(pid).rss);
}

async function stopServer(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

async function measure(label: string, bundle: string, args: readonly string[], env: NodeJS.ProcessEnv, dir: string): Promise<string> {
  const serverArgs = [...args, '--max-message-size', '128m'];
  const first = await startServer(bundle, [], serverArgs, env, dir);
  const pid = first.child.pid as number;
  await sleep(IDLE_SETTLE_MS);
  const idle = memory(pid);
  let stop = false;
  let counts: number[] = [];
  const started = Date.now();
  const timer = setTimeout(() => (stop = true), LOAD_MS);
  const peak = await peakWhile(pid, async () => {
    counts = await Promise.all(Array.from({ length: SESSIONS }, () => session(first.port, () => stop)));
  });
  const elapsed = (Date.now() - started) / 1000;
  clearTimeout(timer);
  const afterLoad = memory(pid);
  await sleep(IDLE_SETTLE_MS);
  const warmed = memory(pid).rss;
  let reply = '';
  const bigPeak = await peakWhile(pid, async () => {
    reply = await bigMessage(first.port, BIG_MESSAGE_BYTES);
  });
  if (!reply.startsWith('250')) throw new Error(`the 100 MB message got ${reply}`);
  await stopServer(first.child);

  const second = await startServer(bundle, [], serverArgs, env, dir);
  const release = await holdIdle(second.port, IDLE_CONNECTIONS);
  await sleep(IDLE_SETTLE_MS);
  const held = memory(second.child.pid as number);
  release();
  await stopServer(second.child);
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
  const config = standInClientConfig(standIn.endpoint) as { region: string; credentials: Record<string, string> };
  const base: NodeJS.ProcessEnv = { PATH: process.env['PATH'] };
  const ssmEnv: NodeJS.ProcessEnv = {
    ...base,
    AWS_ENDPOINT_URL_SSM: standIn.endpoint,
    AWS_REGION: config.region,
    AWS_ACCESS_KEY_ID: config.credentials['accessKeyId'],
    AWS_SECRET_ACCESS_KEY: config.credentials['secretAccessKey'],
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  const version = spawnSync(NODE, ['--version'], { encoding: 'utf8' }).stdout.trim();
  console.log(
    `node ${version}, started as \`node sinkhole-server.mjs\` with no node flags (as the image, the bin and pnpm start do); ` +
      `load: ${SESSIONS} concurrent lock-step sessions, 1 KB messages, ${LOAD_MS / 1000} s, accept mode, default log level (to a file); ` +
      `then one 100 MB message; then, in a fresh process, ${IDLE_CONNECTIONS} idle greeted connections`,
  );
  console.log(
    `| mode source | idle RSS MB | peak RSS MB under load | VmHWM MB | messages/s | 100 MB message: warmed RSS → peak MB | RSS MB with ${IDLE_CONNECTIONS} idle connections |`,
  );
  console.log('|---|---|---|---|---|---|---|');
  console.log(await measure('env', bundle, ['--mode-source', 'env'], { ...base, SINKHOLE_MODE: 'accept' }, dir));
  console.log(await measure('ssm (stand-in, SDK loaded)', bundle, ['--mode-source', 'ssm'], ssmEnv, dir));
} finally {
  await standIn.close();
  await rm(dir, { recursive: true, force: true });
}
