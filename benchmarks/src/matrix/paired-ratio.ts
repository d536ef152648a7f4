import { median } from '../stats/summary.js';
import type { TargetId } from '../targets/target-catalog.js';
import type { CellResult } from './cell-result.js';

/**
 * messages/s of target a over target b, paired by repetition (the two cells ran back to back
 * under the same machine conditions), then the median over repetitions. On a shared machine
 * this is steadier than a ratio of medians, which can pair a quiet cell with a noisy one.
 */
export function pairedRatio(cells: readonly CellResult[], scenarioId: string, a: TargetId, b: TargetId): number {
  const rate = (target: TargetId, rep: number): number | null => {
    const cell = cells.find((c) => c.scenarioId === scenarioId && c.targetId === target && c.rep === rep && c.status === 'ok');
    return cell?.messagesPerSec ?? null;
  };
  const ratios: number[] = [];
  const reps = new Set(cells.filter((c) => c.scenarioId === scenarioId).map((c) => c.rep));
  for (const rep of reps) {
    const x = rate(a, rep);
    const y = rate(b, rep);
    if (x !== null && y !== null && y > 0) ratios.push(x / y);
  }
  return ratios.length === 0 ? Number.NaN : median(ratios);
}
