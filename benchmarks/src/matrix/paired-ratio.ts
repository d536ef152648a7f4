import { median } from '../stats/summary.js';
import type { TargetId } from '../targets/target-catalog.js';
import type { CellResult } from './cell-result.js';

/**
 * messages/s of target a over target b, paired by repetition (the two cells ran back to back
 * under the same machine conditions), then the median over repetitions. On a shared machine
 * this is steadier than a ratio of medians, which can pair a quiet cell with a noisy one.
 */
export function pairedRatio(cells: readonly CellResult[], scenarioId: string, a: TargetId, b: TargetId): number {
  return pairedMedian(cells, scenarioId, a, b, (x, y) => (x.messagesPerSec !== null && y.messagesPerSec !== null && y.messagesPerSec > 0 ? x.messagesPerSec / y.messagesPerSec : null));
}

/**
 * Server CPU per message of b over a's, paired by repetition: how much of b's per-message
 * efficiency a has. It is the messages/s ratio to expect when the server's core is the limit,
 * and it moves much less with other load on the machine than messages/s does.
 */
export function pairedCpuEfficiency(cells: readonly CellResult[], scenarioId: string, a: TargetId, b: TargetId): number {
  return pairedMedian(cells, scenarioId, a, b, (x, y) => {
    const cx = x.serverCpuMicrosPerMessage;
    const cy = y.serverCpuMicrosPerMessage;
    return cx !== null && cy !== null && cx > 0 ? cy / cx : null;
  });
}

/** Server CPU per message of a over b's, paired by repetition (above 1: a costs more per message). */
export function pairedCpuRatio(cells: readonly CellResult[], scenarioId: string, a: TargetId, b: TargetId): number {
  return pairedMedian(cells, scenarioId, a, b, (x, y) => {
    const cx = x.serverCpuMicrosPerMessage;
    const cy = y.serverCpuMicrosPerMessage;
    return cx !== null && cy !== null && cy > 0 ? cx / cy : null;
  });
}

function pairedMedian(cells: readonly CellResult[], scenarioId: string, a: TargetId, b: TargetId, f: (x: CellResult, y: CellResult) => number | null): number {
  const find = (target: TargetId, rep: number): CellResult | undefined =>
    cells.find((c) => c.scenarioId === scenarioId && c.targetId === target && c.rep === rep && c.status === 'ok');
  const values: number[] = [];
  const reps = new Set(cells.filter((c) => c.scenarioId === scenarioId).map((c) => c.rep));
  for (const rep of reps) {
    const x = find(a, rep);
    const y = find(b, rep);
    if (x === undefined || y === undefined) continue;
    const v = f(x, y);
    if (v !== null && Number.isFinite(v)) values.push(v);
  }
  return values.length === 0 ? Number.NaN : median(values);
}
