import type { Spread } from '../stats/summary.js';

/** One hot-path function measured in isolation. */
export interface MicroCase {
  readonly name: string;
  /** What `rate` counts per second. */
  readonly unit: 'bytes/s' | 'commands/s' | 'lines/s';
  readonly rate: Spread;
  readonly note: string;
}

export type MicroReport =
  | { readonly available: true; readonly cases: readonly MicroCase[] }
  | { readonly available: false; readonly reason: string };
