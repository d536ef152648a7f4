import { spread, type Spread } from '../stats/summary.js';

export interface MeasureOptions {
  /** Samples taken after warm-up; the result is their median with min–max. */
  readonly samples: number;
  /** Minimum wall time of one sample. */
  readonly sampleMs: number;
  readonly warmupMs: number;
}

export const DEFAULT_MEASURE: MeasureOptions = { samples: 5, sampleMs: 300, warmupMs: 300 };

/**
 * Calls `fn` repeatedly and returns units per second, where one call processes
 * `unitsPerCall` units (bytes, lines or commands). `fn` returns a value that is folded into
 * a sink so the optimiser cannot drop the work.
 */
export function measureRate(fn: () => unknown, unitsPerCall: number, options: MeasureOptions = DEFAULT_MEASURE): Spread {
  let sink = 0;
  const runFor = (ms: number): number => {
    const limit = BigInt(Math.round(ms * 1e6));
    const start = process.hrtime.bigint();
    let calls = 0;
    let elapsed = 0n;
    // Read the clock once per batch; the batch doubles until one takes about a millisecond.
    let batch = 1;
    while (elapsed < limit) {
      const batchStart = process.hrtime.bigint();
      for (let i = 0; i < batch; i++) if (fn() !== undefined) sink++;
      const now = process.hrtime.bigint();
      calls += batch;
      elapsed = now - start;
      if (now - batchStart < 1_000_000n && batch < 1 << 20) batch *= 2;
    }
    return (calls * unitsPerCall * 1e9) / Number(elapsed);
  };
  runFor(options.warmupMs);
  const rates: number[] = [];
  for (let i = 0; i < options.samples; i++) rates.push(runFor(options.sampleMs));
  if (sink === -1) process.stdout.write(''); // keeps `sink` observable
  return spread(rates);
}
