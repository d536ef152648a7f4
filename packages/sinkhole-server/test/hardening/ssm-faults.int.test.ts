// The control plane misbehaving for "minutes", compressed: the bundle in ssm mode with
// --cache-ttl 1s (so the retry wait is 1 s and 20 s hold about 20 retry opportunities), steady
// client traffic, and the SSM endpoint refusing connections, resetting them, answering after
// 10 s, throttling, returning garbage or 500s. The server keeps serving the last good mode (or
// defer if it never had one), never accepts mail because of the fault, lets no connection wait
// more than ~2 s for its greeting, and sends at most one lookup per retry wait (counted at the
// endpoint). Each case runs concurrently; figures go to .cache/hardening/faults.json.
import { afterAll, describe, expect, it } from 'vitest';
import { imageNodeFlags, SinkholeProcess, standInEnv } from '@sinkhole/test-kit';
import { removeTestBundles, testBundle } from '../support/bundle.js';
import { recordFigure } from './support/figures.js';
import { faultyEndpoint, type SsmFaultName } from './support/ssm-fault-endpoint.js';
import { recovers, steadyTraffic } from './support/steady-traffic.js';

const FAULT_SECONDS = Number(process.env['HARDENING_FAULT_SECONDS'] ?? 20);
/** The cache waits for a lookup at most 2 s (lookupTimeoutMs); the SDK gives up after 1.5 s. */
const GREETING_BOUND_MS = 2_500;
const BOUNCE = '550 5.1.1 User unknown';
const DEFER = '421 4.3.2 Service temporarily unavailable';
const RECOVERED = '452 4.2.2 Mailbox full';

afterAll(async () => {
  await removeTestBundles();
});

type Start = 'last good bounce' | 'no good value';
const STARTS: readonly Start[] = ['last good bounce', 'no good value'];
/** Vitest runs at most 5 concurrent tests (maxConcurrency): one test per group, its cases in parallel. */
const GROUPS: readonly (readonly [string, readonly SsmFaultName[]])[] = [
  ['down: connections refused, or accepted and reset', ['refused', 'reset']],
  ['slow: answers after 10 s', ['slow']],
  ['throttling: ThrottlingException', ['throttle']],
  ['garbage: 200 with a body that is not JSON', ['garbage']],
  ['failing: HTTP 500', ['500']],
];

describe.concurrent('SSM endpoint faults (bundle, --mode-source ssm --cache-ttl 1s)', () => {
  it.each(GROUPS)('%s; from a last good bounce and from no good value: the same mode throughout, lookups bounded by the backoff, greetings within 2 s', async (_name, faults) => {
    await Promise.all(faults.flatMap((fault) => STARTS.map((start) => scenario(fault, start))));
  }, (FAULT_SECONDS + 40) * 1000);
});

/** One endpoint, one bundle, FAULT_SECONDS of traffic, then the endpoint heals. */
async function scenario(fault: SsmFaultName, start: Start): Promise<void> {
  const label = `${fault}, from ${start}`;
  const endpoint = await faultyEndpoint(fault, 'bounce');
  try {
    if (start === 'no good value') await endpoint.breakIt();
    const server = await SinkholeProcess.start({
    bundle: testBundle(),
      args: ['--port', '0', '--mode-source', 'ssm', '--cache-ttl', '1s', '--hostname', 'sink.test'],
      env: standInEnv(endpoint.endpoint),
      nodeFlags: imageNodeFlags(),
    });
    const served = start === 'no good value' ? DEFER : BOUNCE;
    expect(server.lines[0], label).toMatchObject({ msg: 'listening', mode: start === 'no good value' ? 'defer' : 'bounce' });
    if (start === 'last good bounce') await endpoint.breakIt();
    const lookupsBefore = endpoint.lookups();

    const traffic = await steadyTraffic(server.port, { durationMs: FAULT_SECONDS * 1000, loops: 2, pauseMs: 150 });
    const lookupsAfter = endpoint.lookups();
    const lookups = lookupsBefore === undefined || lookupsAfter === undefined ? null : lookupsAfter - lookupsBefore;

    // Healthy again, with a new value: the next lookup (after at most one retry wait) reads it.
    endpoint.standIn.setValue('reply:452 4.2.2 Mailbox full');
    await endpoint.heal();
    const healed = await recovers(server.port, RECOVERED, 8_000);

    recordFigure('faults', `ssm ${label}`, {
      seconds: FAULT_SECONDS,
      connections: traffic.connections,
      lookupsAtEndpoint: lookups,
      maxOpenRequests: endpoint.maxOpenRequests() ?? null,
      maxGreetingMs: traffic.maxGreetingMs,
      rcptReplies: [...traffic.rcptReplies].map(([r, n]) => `${n}x ${r}`).join('; '),
      accepted: traffic.accepted,
      recovered: healed,
    });
    expect(traffic.problems, label).toEqual([]);
    expect(traffic.accepted, label).toBe(0);
    expect([...traffic.rcptReplies.keys()], label).toEqual([served]);
    expect(traffic.connections, label).toBeGreaterThan(FAULT_SECONDS * 2);
    expect(traffic.maxGreetingMs, label).toBeLessThan(GREETING_BOUND_MS);
    // At most one lookup per retry wait (1 s here), however many connections arrive.
    if (lookups !== null) {
      expect(lookups, label).toBeGreaterThan(0);
      expect(lookups, label).toBeLessThanOrEqual(FAULT_SECONDS + 2);
    }
    if (fault === 'slow') expect(endpoint.maxOpenRequests(), label).toBeLessThanOrEqual(1);
    // One warning per failure streak, then one recovery line.
    const errors = server.linesWith('mode-provider-error');
    expect(errors, label).toHaveLength(1);
    expect(errors[0], label).toMatchObject({ usingMode: start === 'no good value' ? 'defer' : 'bounce', usingStale: start === 'last good bounce' });
    expect(healed, label).toBe(true);
    // Log lines are written in batches (up to 20 ms): wait for it rather than race it.
    await server.waitForLine((l) => l.msg === 'mode-provider-recovered', 2_000);
    expect(server.linesWith('mode-provider-recovered'), label).toHaveLength(1);
    await server.stop();
    expect(await server.exited, label).toEqual({ code: 0, signal: null });
  } finally {
    await endpoint.close();
  }
}
