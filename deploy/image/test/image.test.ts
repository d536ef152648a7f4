// The shipped image, built by deploy/image/build.sh, started the way the ECS task definition starts it (its own
// network namespace, non-root, read-only, no capabilities, the sysctl for port 25, 64/128 MB) and driven from
// inside that namespace. Figures go to stdout and .cache/image/figures.json.
import { execFile } from 'node:child_process';
import { mkdir, readFile, readlink, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerfileFinalStage } from '../../../packages/sinkhole-server/test/support/dockerfile.js';
import { memoryMb, standInEnv } from '@sinkhole/test-kit';
import {
  ClientEvents, IMAGE, REPO, cgroupMemory, clientInNetns, createNetns, deleteNetns, helperInNetns, logLines, podman, podmanStatus,
  removeContainer, rssParts, runFlags, startContainer,
  taskContainer, waitForLog, type Started, type TaskContainer,
} from './support/podman.js';

const execFileP = promisify(execFile);
const SESSIONS = 200;
const BIG_MESSAGE = 100 * 1024 * 1024;
const SHUTDOWN_REPLY = '421 4.3.2 Service shutting down, closing connection';
const figures: Record<string, unknown> = {};
let task: TaskContainer;

beforeAll(async () => {
  const { code, output } = await podmanStatus(['image', 'exists', IMAGE]);
  if (code !== 0) throw new Error(`image ${IMAGE} not built (run bash deploy/image/build.sh first): ${output}`);
  task = await taskContainer();
});

afterAll(async () => {
  const dir = new URL('.cache/image/', REPO);
  await mkdir(dir, { recursive: true });
  await writeFile(new URL('figures.json', dir), `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`image figures: ${JSON.stringify(figures)}`);
});

const round = (n: number): number => Math.round(n * 10) / 10;

describe('the image as built', () => {
  it('is the Dockerfile\'s final stage: the bundle, user node, the entrypoint, the health check', async () => {
    const image = dockerfileFinalStage(await readFile(new URL('packages/sinkhole-server/Dockerfile', REPO), 'utf8'));
    const config = JSON.parse(await podman(['image', 'inspect', '--format', '{{json .Config}}', IMAGE])) as {
      User: string; Entrypoint: string[]; Env: string[]; ExposedPorts: Record<string, unknown>; StopSignal: string;
    };
    expect(config.User).toBe(image.user);
    expect(config.Entrypoint).toEqual(image.entrypoint);
    for (const [k, v] of Object.entries(image.env)) expect(config.Env).toContain(`${k}=${v}`);
    expect(Object.keys(config.ExposedPorts)).toEqual(['25/tcp']);
    expect(config.StopSignal).toBe('SIGTERM');
    const health = JSON.parse(await podman(['image', 'inspect', '--format', '{{json .HealthCheck}}', IMAGE])) as { Test: string[] };
    expect(health.Test).toEqual(['CMD', ...image.healthcheck]);
    const size = Number(await podman(['image', 'inspect', '--format', '{{.Size}}', IMAGE]));
    const history = (await podman(['history', '--format', '{{.Size}}\t{{.CreatedBy}}', IMAGE])).split('\n');
    const bundleLayer = history.find((l) => l.includes('COPY'))?.split('\t')[0];
    Object.assign(figures, { imageMB: round(size / 1e6), bundleLayer });
  });
});

describe('a container as the task definition runs it, under 200 sessions and a 100 MB message', () => {
  let container: Started;

  beforeAll(async () => {
    // The task keeps the 64m default; the 100 MB message needs a larger limit to be streamed rather than refused.
    container = await startContainer('sinkhole-image-load', runFlags(task, { SINKHOLE_MAX_MESSAGE_SIZE: '128m' }));
    await waitForLog(container.id, 'listening');
  });
  afterAll(async () => removeContainer(container.id));

  it('runs as the non-root user node (uid 1000), not as root', async () => {
    const status = await readFile(`/proc/${container.pid}/status`, 'utf8');
    const uids = /^Uid:\s+(.+)$/m.exec(status)?.[1]?.split(/\s+/).map(Number);
    expect(uids).toEqual([1000, 1000, 1000, 1000]);
    expect(await podman(['exec', container.id, 'id', '-un'])).toBe('node');
    expect(/^CapEff:\s+(\S+)$/m.exec(status)?.[1]).toBe('0000000000000000');
  });

  it('listens on 0.0.0.0:25 inside its own network namespace', async () => {
    const [own, host] = await Promise.all([readlink(`/proc/${container.pid}/ns/net`), readlink('/proc/self/ns/net')]);
    expect(own).not.toBe(host);
    const listening = (await readFile(`/proc/${container.pid}/net/tcp`, 'utf8'))
      .split('\n').slice(1).map((l) => l.trim().split(/\s+/)).filter((f) => f[3] === '0A');
    expect(listening.map((f) => [f[1], f[7]])).toEqual([['00000000:0019', '1000']]);
    const line = await waitForLog(container.id, 'listening');
    // The image's Node 24 runs plain connections on libuv handles (--io auto).
    expect(line).toMatchObject({ host: '0.0.0.0', port: 25, io: 'handles', hostname: 'sinkhole.cabal.internal', pid: 1 });
  });

  it('passes its health check, and the same check fails against a port nothing listens on', async () => {
    expect((await podmanStatus(['healthcheck', 'run', container.id])).code).toBe(0);
    const wrong = await podmanStatus(['exec', container.id, 'node', '/app/sinkhole-server.mjs', 'check', '--port', '2526', '--timeout', '2s']);
    expect(wrong.code).toBe(1);
  });

  it('has the cap and the reservation in its memory cgroup', async () => {
    const memory = await cgroupMemory(container.pid);
    expect(memory.limitMb).toBe(task.memory);
    expect(memory.softLimitMb).toBe(task.memoryReservation);
    const parts = await rssParts(container.pid);
    Object.assign(figures, {
      idleRssMB: round(memoryMb(container.pid).rss), idleRssAnonMB: round(parts.anon), idleRssFileMB: round(parts.file),
      idleCgroupMB: round(memory.usageMb),
    });
  });

  it('takes 200 concurrent sessions and a 100 MB message without being killed', async () => {
    Object.assign(figures, await loadAndMeasure(container, ''));
  });
});

describe('in ssm mode, as in production: the mode from an SSM stand-in in the task\'s network namespace', () => {
  const NETNS = 'sinkhole-image-ssm';

  it('reads the mode with GetParameter, and holds 200 sessions and a 100 MB message with the SDK loaded', async () => {
    await createNetns(NETNS);
    const standIn = new ClientEvents(helperInNetns(NETNS, 'ssm-stand-in-helper.ts', { parameters: { '/cabal/sinkhole_mode': 'accept' } }));
    let container: Started | undefined;
    try {
      const endpoint = String((await standIn.next('ready', 30_000))['endpoint']);
      container = await startContainer('sinkhole-image-ssm', runFlags(task, { SINKHOLE_MAX_MESSAGE_SIZE: '128m' }, { ssmEnv: standInEnv(endpoint), netns: NETNS }));
      const listening = await waitForLog(container.id, 'listening');
      expect(String(listening['modeSource'])).toMatch(/^ssm/);
      const idle = await rssParts(container.pid);
      Object.assign(figures, { ssmIdleRssMB: round(memoryMb(container.pid).rss), ssmIdleRssAnonMB: round(idle.anon) });
      const measured = await loadAndMeasure(container, 'ssm');
      const accepted = (await logLines(container.id)).filter((l) => l['msg'] === 'accepted');
      expect(new Set(accepted.map((l) => l['mode']))).toEqual(new Set(['accept']));
      standIn.send('count');
      expect(Number((await standIn.next('count', 10_000))['requests'])).toBeGreaterThan(0);
      Object.assign(figures, measured);
    } finally {
      standIn.send('quit');
      if (container !== undefined) await removeContainer(container.id);
      standIn.kill();
      await deleteNetns(NETNS);
    }
  });
});

/** 200 sessions x five 64 KB messages and one 100 MB message at once; asserts the container survived; figures. */
async function loadAndMeasure(container: Started, prefix: string): Promise<Record<string, unknown>> {
  const key = (name: string): string => (prefix === '' ? name : `${prefix}${name[0]?.toUpperCase() ?? ''}${name.slice(1)}`);
  let peak = 0;
  const sampler = setInterval(() => { peak = Math.max(peak, memoryMb(container.pid).rss); }, 50);
  const client = new ClientEvents(clientInNetns(container.pid, {
    action: 'load', port: 25, sessions: SESSIONS, messages: 5, messageBytes: 64 * 1024, bigMessageBytes: BIG_MESSAGE,
  }));
  try {
    const loaded = await client.next('loaded', 120_000);
    const big = await client.next('big', 120_000);
    expect(loaded['sessions']).toBe(SESSIONS);
    expect(big['reply']).toMatch(/^250 /);
    const open = memoryMb(container.pid);
    const openParts = await rssParts(container.pid);
    client.send('quit');
    expect((await client.next('done', 30_000))['quit221']).toBe(SESSIONS);
    const memory = await cgroupMemory(container.pid);
    const state = JSON.parse(await podman(['inspect', '--format', '{{json .State}}', container.id])) as { Running: boolean; OOMKilled: boolean };
    expect(state).toMatchObject({ Running: true, OOMKilled: false });
    expect(memory.oomKills).toBe(0);
    // What the cap is charged for: anonymous memory (VmRSS also counts the node binary's shared file pages).
    expect(openParts.anon).toBeLessThan(task.memory);
    expect((await podmanStatus(['healthcheck', 'run', container.id])).code).toBe(0);
    const accepted = (await logLines(container.id)).filter((l) => l['msg'] === 'accepted');
    expect(accepted).toHaveLength(SESSIONS * 5 + 1);
    return {
      [key('rssWith200OpenMB')]: round(open.rss), [key('rssAnonWith200OpenMB')]: round(openParts.anon),
      [key('peakRssMB')]: round(Math.max(peak, open.hwm)), [key('cgroupMaxUsageMB')]: round(memory.maxUsageMb),
      [key('cgroupFailcnt')]: memory.failcnt, [key('loadMs')]: loaded['ms'], [key('bigMessageMs')]: big['ms'],
    };
  } finally {
    clearInterval(sampler);
    client.kill();
  }
}

describe('with the HTTP listener, as the task runs it when http_port is set', () => {
  it('the entry point writes the injected token to the tmpfs, execs node as PID 1, and /metrics needs the token', async () => {
    const httpTask = await taskContainer(9464);
    const token = 'image-test-token-0123456789';
    const container = await startContainer('sinkhole-image-http', runFlags(httpTask, {}, { secrets: { SINKHOLE_HTTP_TOKEN: token } }));
    try {
      const listening = await waitForLog(container.id, 'http-listening');
      expect(listening).toMatchObject({ host: '0.0.0.0', port: 9464, token: true });
      const image = dockerfileFinalStage(await readFile(new URL('packages/sinkhole-server/Dockerfile', REPO), 'utf8'));
      expect((await readFile(`/proc/${container.pid}/cmdline`, 'utf8')).split('\0').filter((a) => a !== '')).toEqual(image.entrypoint);
      // The token is in the file, not in node's environment.
      const environ = (await readFile(`/proc/${container.pid}/environ`, 'utf8')).split('\0');
      expect(environ.some((e) => e.startsWith('SINKHOLE_HTTP_TOKEN='))).toBe(false);
      expect(environ).toContain('SINKHOLE_HTTP_TOKEN_FILE=/run/sinkhole/http-token');
      const get = async (auth: string | undefined): Promise<{ status: number; body: string }> => {
        const script = `fetch('http://127.0.0.1:9464/metrics', { headers: ${JSON.stringify(auth === undefined ? {} : { authorization: auth })} })`
          + `.then(async (r) => console.log(JSON.stringify({ status: r.status, body: await r.text() })))`;
        const { stdout } = await execFileP('nsenter', ['--target', String(container.pid), '--net', '--', process.execPath, '-e', script]);
        return JSON.parse(stdout) as { status: number; body: string };
      };
      expect((await get(undefined)).status).toBe(401);
      const metrics = await get(`Bearer ${token}`);
      expect(metrics.status).toBe(200);
      expect(metrics.body).toMatch(/^# (HELP|TYPE) /m);
      expect((await podmanStatus(['healthcheck', 'run', container.id])).code).toBe(0);
    } finally {
      await removeContainer(container.id);
    }
  });
});

describe('SIGTERM with open sessions', () => {
  it('gives idle sessions 421 at once, lets sessions in DATA finish, and exits 0', async () => {
    const container = await startContainer('sinkhole-image-sigterm', runFlags(task, {}));
    const client = new ClientEvents(clientInNetns(container.pid, { action: 'hold', port: 25, sessions: 50, dataSessions: 5 }));
    try {
      await waitForLog(container.id, 'listening');
      await client.next('ready', 30_000);
      const signalled = Date.now();
      await podman(['kill', '--signal', 'SIGTERM', container.id]);
      await waitForLog(container.id, 'shutting-down', 10_000);
      // Still running: five sessions are in the middle of DATA.
      await new Promise((r) => setTimeout(r, 1_000));
      expect(JSON.parse(await podman(['inspect', '--format', '{{.State.Running}}', container.id]))).toBe(true);
      const finishing = Date.now();
      client.send('finish');
      const exitCode = Number(await podman(['wait', container.id], 130_000));
      const exited = Date.now();
      const result = (await client.next('result', 30_000)) as unknown as {
        idle: { replies: string[]; ending: string }[]; inData: { replies: string[]; ending: string }[];
      };
      expect(exitCode).toBe(0);
      expect(result.idle).toHaveLength(50);
      for (const s of result.idle) expect(s).toEqual({ replies: [SHUTDOWN_REPLY], ending: 'eof' });
      expect(result.inData).toHaveLength(5);
      for (const s of result.inData) {
        expect(s.replies).toEqual([expect.stringMatching(/^250 /), SHUTDOWN_REPLY]);
        expect(s.ending).toBe('eof');
      }
      const stopped = await waitForLog(container.id, 'stopped', 5_000);
      Object.assign(figures, {
        sigtermToExitMs: exited - signalled, lastDataToExitMs: exited - finishing, stoppedLine: stopped['durationMs'],
      });
    } finally {
      client.kill();
      await removeContainer(container.id);
    }
  });
});
