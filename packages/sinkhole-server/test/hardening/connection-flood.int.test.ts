// Leak check: a flood of short connections (whole transactions, QUIT, FIN, RST in turn) against
// the bundle for 60 s (HARDENING_FLOOD_SECONDS to change it), after a warm-up flood. Afterwards
// the server holds as many descriptors as before and its RSS is back near the warmed-up
// baseline. Figures go to .cache/hardening/overload.json.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, expect, it, vi } from 'vitest';
import { fdCount, imageNodeFlags, memoryMb, RssSampler, type SinkholeProcess } from '@sinkhole/test-kit';
import { removeTestBundles, startBundle } from '../support/bundle.js';
import { recordFigure, round1 } from './support/figures.js';
import { flood } from './support/flood.js';
import { freshSessionWorks } from './support/smtp-steps.js';

const FLOOD_SECONDS = Number(process.env['HARDENING_FLOOD_SECONDS'] ?? 60);
const WARM_UP_SECONDS = 5;
const CONCURRENCY = 16;
const LOOPBACK_SOURCES = ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4'];
/** Generous against GC saw-teeth (about 5 MB with the image flags), tight against a per-connection leak. */
const RSS_GROWTH_BOUND_MB = 16;

afterAll(async () => {
  await removeTestBundles();
});

/** Waits for the server to be back to `fds` descriptors (or fewer), then lets it settle. */
async function settle(server: SinkholeProcess, fds: number): Promise<void> {
  // Best effort, as before: the assertions after the flood say whether the descriptors came back.
  await vi.waitFor(() => expect(fdCount(server.pid)).toBeLessThanOrEqual(fds), { timeout: 15_000, interval: 50 }).catch(() => undefined);
  await sleep(2_000);
}

it(`a ${FLOOD_SECONDS} s flood of short connections leaves no descriptors and no RSS growth behind`, async () => {
  const server = await startBundle(['--port', '0', '--hostname', 'sink.test'], { SINKHOLE_MODE: 'accept' }, { nodeFlags: imageNodeFlags(), keep: () => false });
  const fdsAtStart = fdCount(server.pid);
  const warmUp = await flood(server.port, { durationMs: WARM_UP_SECONDS * 1000, concurrency: CONCURRENCY, localAddresses: LOOPBACK_SOURCES });
  expect(warmUp.problems).toEqual([]);
  await settle(server, fdsAtStart);
  const baseline = { ...memoryMb(server.pid), fds: fdCount(server.pid) };

  const samples: [number, number][] = [];
  const started = Date.now();
  const sampler = new RssSampler(server.pid);
  const everySecond = setInterval(() => samples.push([(Date.now() - started) / 1000, sampler.sample()]), 1_000);
  const result = await flood(server.port, { durationMs: FLOOD_SECONDS * 1000, concurrency: CONCURRENCY, localAddresses: LOOPBACK_SOURCES });
  clearInterval(everySecond);
  const peak = sampler.stop();
  await settle(server, baseline.fds);
  const after = { ...memoryMb(server.pid), fds: fdCount(server.pid) };
  await freshSessionWorks(server.port);

  const connectionLines = warmUp.connections + result.connections + 1;
  await expect.poll(() => server.count('connection'), { timeout: 10_000 }).toBeGreaterThanOrEqual(connectionLines);
  const during = samples.map(([, rss]) => rss).filter((rss) => Number.isFinite(rss));
  recordFigure('overload', 'flood', {
    seconds: FLOOD_SECONDS,
    concurrency: CONCURRENCY,
    connections: result.connections,
    connectionsPerSecond: Math.round(result.connections / (result.elapsedMs / 1000)),
    transactions: result.perKind.transaction,
    problems: result.problemCount,
    rssBaselineMb: round1(baseline.rss),
    rssPeakMb: round1(peak),
    rssAfterMb: round1(after.rss),
    rssGrowthMb: round1(after.rss - baseline.rss),
    rssMinDuringMb: round1(Math.min(...during)),
    rssMaxDuringMb: round1(Math.max(...during)),
    bytesPerConnectionUpperBound: Math.max(0, Math.round(((after.rss - baseline.rss) * 1024 * 1024) / result.connections)),
    fdsAtStart,
    fdsBaseline: baseline.fds,
    fdsAfter: after.fds,
    connectionLines: server.count('connection'),
    acceptedLines: server.count('accepted'),
  });
  expect(result.problems).toEqual([]);
  expect(after.fds).toBeLessThanOrEqual(baseline.fds);
  expect(after.rss - baseline.rss).toBeLessThan(RSS_GROWTH_BOUND_MB);
  expect(server.count('connection')).toBe(connectionLines);
  expect(server.count('accepted')).toBe(warmUp.perKind.transaction + result.perKind.transaction + 1);
  await server.stop();
  expect(await server.exited).toEqual({ code: 0, signal: null });
}, (FLOOD_SECONDS + WARM_UP_SECONDS + 90) * 1000);
