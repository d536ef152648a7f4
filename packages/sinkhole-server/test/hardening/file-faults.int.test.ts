// The mode file misbehaving under steady traffic, against the bundle with --mode-source file
// --cache-ttl 1s: deleted, replaced by a directory or a FIFO, truncated to nothing, grown past
// 64 KiB (with "accept" at its start), made unreadable, and replaced atomically 100 times. The
// server keeps the last good mode (or defer if it never had one), never accepts mail because of
// it, greets within 2 s, logs one warning per failure streak and recovers when the file is back.
// As root, chmod 000 does not stop reads, so the unreadable case runs the server as nobody
// (65534). Figures go to .cache/hardening/faults.json.
import { chmod } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageNodeFlags, makeTempDir, removeDir, SinkholeProcess, writeAtomically } from '@sinkhole/test-kit';
import { removeTestBundles, testBundle } from '../support/bundle.js';
import { recordFigure } from './support/figures.js';
import { breakModeFile, FILE_FAULT_CODES, restoreModeFile, unprivilegedUser, type FileFaultName } from './support/mode-file-faults.js';
import { recovers, steadyTraffic } from './support/steady-traffic.js';

const FAULT_SECONDS = Number(process.env['HARDENING_FILE_FAULT_SECONDS'] ?? 10);
const GREETING_BOUND_MS = 2_500;
const BOUNCE = '550 5.1.1 User unknown';
const DEFER = '421 4.3.2 Service temporarily unavailable';
const DENIED = '550 5.7.1 Denied by policy';
const RECOVERED = '452 4.2.2 Mailbox full';

type Start = 'last good bounce' | 'no good value';
const STARTS: readonly Start[] = ['last good bounce', 'no good value'];
let dir: string;
let serial = 0;

beforeAll(async () => {
  dir = await makeTempDir('file-faults');
  // The unreadable case runs the server as nobody when we are root: it must reach the file and the bundle.
  if (unprivilegedUser() !== undefined) {
    await chmod(dir, 0o755);
    await chmod(dirname(await testBundle()), 0o755);
  }
});
afterAll(async () => {
  await removeTestBundles();
  await removeDir(dir);
});

function startServer(modeFile: string, options: { readonly user?: { readonly uid: number; readonly gid: number } | undefined; readonly ttl?: string } = {}): Promise<SinkholeProcess> {
  const { user } = options;
  return SinkholeProcess.start({
    bundle: testBundle(),
    args: ['--port', '0', '--mode-source', 'file', '--mode-file', modeFile, '--cache-ttl', options.ttl ?? '1s', '--hostname', 'sink.test'],
    nodeFlags: imageNodeFlags(),
    ...(user === undefined ? {} : { user }),
  });
}

async function scenario(fault: FileFaultName, start: Start): Promise<void> {
  const label = `${fault}, from ${start}`;
  const modeFile = join(dir, `mode-${++serial}`);
  await writeAtomically(modeFile, 'bounce\n');
  const user = fault === 'unreadable' ? unprivilegedUser() : undefined;
  if (start === 'no good value') await breakModeFile(modeFile, fault);
  const server = await startServer(modeFile, { user });
  expect(server.lines[0], label).toMatchObject({ msg: 'listening', mode: start === 'no good value' ? 'defer' : 'bounce' });
  if (start === 'last good bounce') await breakModeFile(modeFile, fault);

  const traffic = await steadyTraffic(server.port, { durationMs: FAULT_SECONDS * 1000, loops: 2, pauseMs: 150 });
  await restoreModeFile(modeFile, 'reply:452 4.2.2 Mailbox full\n');
  const healed = await recovers(server.port, RECOVERED, 6_000);
  const errors = server.linesWith('mode-provider-error');
  recordFigure('faults', `file ${label}`, {
    seconds: FAULT_SECONDS,
    connections: traffic.connections,
    maxGreetingMs: traffic.maxGreetingMs,
    rcptReplies: [...traffic.rcptReplies].map(([r, n]) => `${n}x ${r}`).join('; '),
    accepted: traffic.accepted,
    errorCode: String(errors[0]?.['code'] ?? null),
    serverUid: user?.uid ?? process.getuid?.() ?? null,
    recovered: healed,
  });
  expect(traffic.problems, label).toEqual([]);
  expect(traffic.accepted, label).toBe(0);
  expect([...traffic.rcptReplies.keys()], label).toEqual([start === 'no good value' ? DEFER : BOUNCE]);
  expect(traffic.maxGreetingMs, label).toBeLessThan(GREETING_BOUND_MS);
  expect(errors, label).toHaveLength(1);
  expect(errors[0], label).toMatchObject({ code: FILE_FAULT_CODES[fault], usingMode: start === 'no good value' ? 'defer' : 'bounce' });
  expect(healed, label).toBe(true);
  // Log lines are written in batches (up to 20 ms): wait for it rather than race it.
  await server.waitForLine((l) => l.msg === 'mode-provider-recovered', 2_000);
  expect(server.linesWith('mode-provider-recovered'), label).toHaveLength(1);
  await server.stop();
  expect(await server.exited, label).toEqual({ code: 0, signal: null });
}

/** Vitest runs at most 5 concurrent tests: one test per group, its cases in parallel. */
const GROUPS: readonly (readonly [string, readonly FileFaultName[]])[] = [
  ['deleted, replaced by a directory, replaced by a FIFO', ['deleted', 'directory', 'fifo']],
  ['truncated to nothing, grown past 64 KiB with "accept" at its start', ['truncated', 'too-large']],
  ['made unreadable (chmod 000; as root the server runs as nobody)', ['unreadable']],
];

describe.concurrent('mode file faults (bundle, --mode-source file --cache-ttl 1s)', () => {
  it.each(GROUPS)('%s; from a last good bounce and from no good value: the same mode throughout, one warning, recovery', async (_name, faults) => {
    await Promise.all(faults.flatMap((fault) => STARTS.map((start) => scenario(fault, start))));
  }, (FAULT_SECONDS + 30) * 1000);

  it('replaced atomically 100 times between two modes, read for every connection (--cache-ttl 0s): each gets one of them, never a partial read', async () => {
    const modeFile = join(dir, 'mode-flips');
    await writeAtomically(modeFile, 'bounce\n');
    const server = await startServer(modeFile, { ttl: '0s' });
    let flipping = true;
    let flips = 0;
    const flipper = (async () => {
      while (flipping && flips < 100) {
        await writeAtomically(modeFile, flips % 2 === 0 ? 'reply:550 5.7.1 Denied by policy\n' : 'bounce\n');
        flips++;
        // Irregular steps, so the flips do not fall into step with the connections.
        await new Promise((resolve) => setTimeout(resolve, ((0.5 + Math.random()) * FAULT_SECONDS * 1000) / 100));
      }
    })();
    const traffic = await steadyTraffic(server.port, { durationMs: FAULT_SECONDS * 1000, loops: 2, pauseMs: 20 });
    flipping = false;
    await flipper;
    recordFigure('faults', 'file replaced atomically', {
      flips,
      connections: traffic.connections,
      maxGreetingMs: traffic.maxGreetingMs,
      rcptReplies: [...traffic.rcptReplies].map(([r, n]) => `${n}x ${r}`).join('; '),
      modeChangedLines: server.linesWith('mode-changed').length,
      providerErrors: server.linesWith('mode-provider-error').map((l) => `${String(l['code'])}: ${String(l['error'])}`).join('; '),
    });
    expect(traffic.problems).toEqual([]);
    expect(traffic.accepted).toBe(0);
    expect(new Set(traffic.rcptReplies.keys())).toEqual(new Set([BOUNCE, DENIED]));
    expect(traffic.maxGreetingMs).toBeLessThan(GREETING_BOUND_MS);
    expect(server.linesWith('mode-provider-error')).toEqual([]);
    await server.stop();
    expect(await server.exited).toEqual({ code: 0, signal: null });
  }, (FAULT_SECONDS + 30) * 1000);
});
