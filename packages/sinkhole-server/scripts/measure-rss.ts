// Measures the bundle's resident memory (what the 64 MB / 128 MB container limits apply to):
// idle, and under 200 concurrent sessions in accept mode with 1 KB messages flowing, in env
// mode and in ssm mode (against the SSM stand-in, so the SDK is loaded). Linux only (/proc).
// Run: npx -y pnpm@10.34.9 --filter @sinkhole/sinkhole-server run measure-rss
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { standInClientConfig, startSsmStandIn } from '@sinkhole/mode-providers/test-support';
import { buildSinkhole } from '../build.mjs';

const SESSIONS = 200;
const LOAD_MS = 5_000;
const IDLE_SETTLE_MS = 1_000;
const IDLE_CONNECTIONS = 2_000;
/** The image's node flags (the Dockerfile's ENTRYPOINT). */
const CONTAINER_FLAGS = ['--max-semi-space-size=2'];
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
  const child = spawn(process.execPath, [...nodeFlags, bundle, '--host', '127.0.0.1', '--port', '0', ...args], { env, stdio: ['ignore', fd, 'inherit'], cwd: tmpdir() });
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

/** Holds `count` greeted connections open; returns a function that closes them. */
async function holdIdle(port: number, count: number): Promise<() => void> {
  const sockets = await Promise.all(
    Array.from({ length: count }, () =>
      new Promise<import('node:net').Socket>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port });
        socket.once('data', () => resolve(socket));
        socket.once('error', reject);
      }),
    ),
  );
  return () => {
    for (const socket of sockets) socket.destroy();
  };
}

async function measure(label: string, bundle: string, nodeFlags: readonly string[], args: readonly string[], env: NodeJS.ProcessEnv, dir: string): Promise<string> {
  const { child, port } = await startServer(bundle, nodeFlags, args, env, dir);
  const pid = child.pid as number;
  await new Promise((r) => setTimeout(r, IDLE_SETTLE_MS));
  const idle = memory(pid);
  let stop = false;
  let peak = idle.rss;
  const sampler = setInterval(() => (peak = Math.max(peak, memory(pid).rss)), 50);
  const started = Date.now();
  const timer = setTimeout(() => (stop = true), LOAD_MS);
  const counts = await Promise.all(Array.from({ length: SESSIONS }, () => session(port, () => stop)));
  const elapsed = (Date.now() - started) / 1000;
  clearTimeout(timer);
  clearInterval(sampler);
  const after = memory(pid);
  const release = await holdIdle(port, IDLE_CONNECTIONS);
  await new Promise((r) => setTimeout(r, IDLE_SETTLE_MS));
  const held = memory(pid).rss;
  release();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  const messages = counts.reduce((a, b) => a + b, 0);
  return `| ${label} | ${idle.rss.toFixed(1)} | ${peak.toFixed(1)} | ${after.hwm.toFixed(1)} | ${Math.round(messages / elapsed)} | ${held.toFixed(1)} |`;
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
  console.log(
    `node ${process.version}; load: ${SESSIONS} concurrent lock-step sessions, 1 KB messages, ${LOAD_MS / 1000} s, ` +
      `accept mode, default log level (to a file); then ${IDLE_CONNECTIONS} idle greeted connections`,
  );
  console.log(`| mode source, node flags | idle RSS MB | peak RSS MB under load | VmHWM MB | messages/s | RSS MB with ${IDLE_CONNECTIONS} idle connections |`);
  console.log('|---|---|---|---|---|---|');
  for (const flags of [[], CONTAINER_FLAGS]) {
    const shown = flags.length === 0 ? 'none' : flags.join(' ');
    console.log(await measure(`env, ${shown}`, bundle, flags, ['--mode-source', 'env'], { ...base, SINKHOLE_MODE: 'accept' }, dir));
    console.log(await measure(`ssm (stand-in, SDK loaded), ${shown}`, bundle, flags, ['--mode-source', 'ssm'], ssmEnv, dir));
  }
} finally {
  await standIn.close();
  await rm(dir, { recursive: true, force: true });
}
