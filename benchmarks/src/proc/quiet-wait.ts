import { setTimeout as sleep } from 'node:timers/promises';
import { readSystemBusyMs } from '@sinkhole/test-kit';

export interface QuietResult {
  readonly quiet: boolean;
  readonly waitedMs: number;
  /** Other load seen in the last sample, in cores. */
  readonly loadCores: number | null;
}

/**
 * Between cells nothing of ours runs, so all busy CPU is someone else's. Samples it every
 * `sampleMs` until it is below `thresholdCores` or `maxWaitMs` has passed.
 */
export async function waitForQuiet(thresholdCores: number, maxWaitMs: number, sampleMs = 250): Promise<QuietResult> {
  const started = Date.now();
  let loadCores: number | null = null;
  for (;;) {
    const before = readSystemBusyMs();
    const t0 = Date.now();
    await sleep(sampleMs);
    const after = readSystemBusyMs();
    if (before === null || after === null) return { quiet: true, waitedMs: Date.now() - started, loadCores: null };
    loadCores = (after - before) / Math.max(1, Date.now() - t0);
    if (loadCores < thresholdCores) return { quiet: true, waitedMs: Date.now() - started, loadCores };
    if (Date.now() - started >= maxWaitMs) return { quiet: false, waitedMs: Date.now() - started, loadCores };
  }
}
