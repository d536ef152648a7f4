import { expect } from 'vitest';
import { imageNodeFlags, rssMb, RssSampler, SinkholeProcess, type SmtpTestClient } from '@sinkhole/test-kit';
import { testBundle } from '../../support/bundle.js';
import { recordFigure, round1 } from './figures.js';
import { bystanderStillWorks, freshSessionWorks, openBystander } from './smtp-steps.js';

export interface HostileContext {
  readonly server: SinkholeProcess;
  readonly port: number;
  /** A session opened (and EHLO'd) before the hostile client: it must still work afterwards. */
  readonly bystander: SmtpTestClient;
}

export interface HostileCaseOptions {
  /** Name in the figures file. */
  readonly name: string;
  /** Largest RSS growth allowed (peak during the case minus the RSS before it), MB. */
  readonly boundMb: number;
  /** Server flags besides --port/--hostname; default accept mode from the environment. */
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly figuresFile: string;
}

const SETTLE_MS = 300;

/**
 * Runs one hostile client against a fresh bundle started with the image's node flags: warms
 * the server up with one normal transaction, reads its RSS, opens a bystander session, runs the
 * case while sampling RSS, then checks that the bystander still gets mail through, that the
 * server is alive and logged only JSON, and that the RSS growth stays under the bound.
 */
export async function hostileCase(options: HostileCaseOptions, run: (context: HostileContext) => Promise<void>): Promise<void> {
  const server = await SinkholeProcess.start({
    bundle: testBundle(),
    args: ['--port', '0', '--hostname', 'sink.test', ...(options.args ?? [])],
    env: options.env ?? { SINKHOLE_MODE: 'accept' },
    nodeFlags: imageNodeFlags(),
  });
  try {
    await freshSessionWorks(server.port);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const before = rssMb(server.pid);
    const sampler = new RssSampler(server.pid);
    const bystander = await openBystander(server.port);
    const started = Date.now();
    await run({ server, port: server.port, bystander });
    const elapsedMs = Date.now() - started;
    await bystanderStillWorks(bystander);
    const peak = sampler.stop();
    const after = rssMb(server.pid);
    expect(server.alive).toBe(true);
    recordFigure(options.figuresFile, options.name, {
      rssBeforeMb: round1(before),
      rssPeakMb: round1(peak),
      rssAfterMb: round1(after),
      growthMb: round1(peak - before),
      boundMb: options.boundMb,
      elapsedMs,
    });
    expect(peak - before).toBeLessThan(options.boundMb);
    expect(server.notJson).toEqual([]);
    expect(server.linesWith('hook-error')).toEqual([]);
    await server.stop();
    expect(await server.exited).toEqual({ code: 0, signal: null });
  } finally {
    if (server.alive) server.signal('SIGKILL');
  }
}
