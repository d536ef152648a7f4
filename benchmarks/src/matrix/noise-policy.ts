import type { CellResult } from './cell-result.js';

/**
 * On a shared machine another job can take a core in the middle of a cell. A cell during which
 * the rest of the machine used more than this much CPU is run again (within a budget), and the
 * quietest attempt is kept; the report counts the re-runs.
 */
export const NOISE_THRESHOLD_CORES = 0.25;
export const MAX_ATTEMPTS = 3;

export function isNoisy(cell: CellResult): boolean {
  return cell.status === 'ok' && cell.foreignCpuCores !== null && cell.foreignCpuCores > NOISE_THRESHOLD_CORES;
}

/** The attempt to keep: a measured one over a failed one, then the one with less other load. */
export function quieter(a: CellResult, b: CellResult): CellResult {
  if (a.status === 'ok' && b.status !== 'ok') return a;
  if (b.status === 'ok' && a.status !== 'ok') return b;
  return (b.foreignCpuCores ?? Number.POSITIVE_INFINITY) < (a.foreignCpuCores ?? Number.POSITIVE_INFINITY) ? b : a;
}
