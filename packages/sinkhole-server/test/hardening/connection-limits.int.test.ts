// Overload against the bundle: the connection limit answers 421 4.7.0 and closes (no hang), and
// 10,000 concurrent idle connections are held under the ECS task's 128 MB cap with the image's
// node flags (also measured without them). Figures go to .cache/hardening/overload.json.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { fdCount, holdIdleConnections, imageNodeFlags, memoryMb, nofileLimits, releaseConnections, SmtpTestClient } from '@sinkhole/test-kit';
import { removeTestBundles, startBundle } from '../support/bundle.js';
import { ensureNofile } from './support/fd-limit.js';
import { recordFigure, round1 } from './support/figures.js';
import { freshSessionWorks } from './support/smtp-steps.js';

const FIGURES = 'overload';
const IDLE_CONNECTIONS = 10_000;
const CAP_MB = 128;
/** Descriptors for 10,000 sockets plus what node and the test runner hold. */
const NOFILE_NEEDED = 12_000;
const LOOPBACK_SOURCES = ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4'];

afterAll(async () => {
  await removeTestBundles();
});

describe('connection limit', () => {
  it('--max-connections 50: the 51st to 150th connections get 421 4.7.0 at once and a clean close; a freed slot is usable again', async () => {
    const server = await startBundle(['--port', '0', '--max-connections', '50'], { SINKHOLE_MODE: 'accept' }, { nodeFlags: imageNodeFlags() });
    const held = await holdIdleConnections(server.port, 50);
    const started = Date.now();
    const refused = await Promise.all(
      Array.from({ length: 100 }, async () => {
        const c = await SmtpTestClient.connect(server.port);
        const r = await c.reply(2_000);
        const { ending } = await c.ending(2_000);
        c.close();
        return `${r.last} ${ending}`;
      }),
    );
    const refusedWithinMs = Date.now() - started;
    expect(new Set(refused)).toEqual(new Set(['421 4.7.0 Too many connections, try again later eof']));
    const warning = await server.waitForLine((l) => l.msg === 'limit');
    expect(warning).toMatchObject({ level: 'warn', limit: 'maxConnections', value: 50 });
    recordFigure(FIGURES, 'max-connections-50', { held: 50, refused: refused.length, allRefusedWithinMs: refusedWithinMs });
    expect(refusedWithinMs).toBeLessThan(5_000);

    releaseConnections(held.slice(0, 1));
    await expect.poll(() => server.count('connection'), { timeout: 5_000 }).toBeGreaterThanOrEqual(1);
    await freshSessionWorks(server.port);
    releaseConnections(held);
    await server.stop();
    expect(await server.exited).toEqual({ code: 0, signal: null });
  }, 60_000);
});

describe('10,000 concurrent idle connections', () => {
  const raised = ensureNofile(NOFILE_NEEDED);

  it.each([
    ['with the image flags', imageNodeFlags(), true],
    ['without node flags', [], false],
  ] as const)('%s: held, the server still greets and serves, RSS measured (under 128 MB with the image flags), every descriptor released after', async (label, nodeFlags, enforceCap) => {
    const server = await startBundle(['--port', '0', '--log-level', 'warn'], { SINKHOLE_MODE: 'accept' }, { nodeFlags, keep: () => false });
    expect(nofileLimits(server.pid).soft).toBeGreaterThanOrEqual(NOFILE_NEEDED);
    await freshSessionWorks(server.port);
    await sleep(300);
    const idle = memoryMb(server.pid).rss;
    const fdsBefore = fdCount(server.pid);
    const started = Date.now();
    const sockets = await holdIdleConnections(server.port, IDLE_CONNECTIONS, { localAddresses: LOOPBACK_SOURCES });
    const openedMs = Date.now() - started;
    await sleep(1_000);
    const held = memoryMb(server.pid);
    const fdsHeld = fdCount(server.pid);
    // The 10,001st session is served normally.
    const greetStarted = Date.now();
    await freshSessionWorks(server.port);
    const sessionMs = Date.now() - greetStarted;
    releaseConnections(sockets);
    await expect.poll(() => fdCount(server.pid), { timeout: 15_000 }).toBeLessThanOrEqual(fdsBefore);
    const fdsAfter = fdCount(server.pid);
    recordFigure(FIGURES, `idle-10k ${label}`, {
      nodeFlags: nodeFlags.join(' '),
      idleRssMb: round1(idle),
      rssWith10kMb: round1(held.rss),
      vmHwmMb: round1(held.hwm),
      kbPerConnection: Math.round(((held.rss - idle) * 1024) / IDLE_CONNECTIONS),
      fdsBefore,
      fdsHeld,
      fdsAfter,
      openedMs,
      extraSessionMs: sessionMs,
      nofileBeforeRaise: raised.before,
    });
    expect(fdsHeld - fdsBefore).toBeGreaterThanOrEqual(IDLE_CONNECTIONS);
    if (enforceCap) expect(held.rss).toBeLessThan(CAP_MB);
    expect(server.alive).toBe(true);
    await server.stop();
    expect(await server.exited).toEqual({ code: 0, signal: null });
  }, 120_000);
});
