import type { Step } from '../load/load-types.js';
import { median, spread, type Spread } from '../stats/summary.js';
import type { TargetId } from '../targets/target-catalog.js';
import type { CellResult, CellStatus } from './cell-result.js';

export type AggregateStatus = CellStatus | 'partial';

/** All repetitions of one (scenario, target): medians with min–max over the cells that measured. */
export interface Aggregate {
  readonly scenarioId: string;
  readonly targetId: TargetId;
  readonly status: AggregateStatus;
  readonly reasons: readonly string[];
  /** Repetitions in which the server process died. */
  readonly crashes: number;
  readonly messagesPerSec: Spread;
  readonly connectionsPerSec: Spread;
  readonly serverCpuMicrosPerMessage: Spread;
  readonly peakRssBytes: Spread;
  readonly heldRssBytes: Spread;
  readonly clientCpuShare: Spread;
  readonly foreignCpuCores: Spread;
  /** Median over repetitions of each step's p50 and p99, microseconds. */
  readonly latencyMicros: Readonly<Partial<Record<Step, { readonly p50: number; readonly p99: number }>>>;
  /** Summed over repetitions. */
  readonly errors: Readonly<Record<string, number>>;
  readonly pipelined: boolean | null;
}

const SEVERITY: readonly CellStatus[] = ['crashed', 'failed', 'unavailable'];

export function aggregate(cells: readonly CellResult[]): Aggregate[] {
  const groups = new Map<string, CellResult[]>();
  for (const cell of cells) {
    const key = `${cell.scenarioId}\u0000${cell.targetId}`;
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [cell]);
    else list.push(cell);
  }
  return [...groups.values()].map(aggregateGroup);
}

function aggregateGroup(cells: readonly CellResult[]): Aggregate {
  const first = cells[0]!;
  const ok = cells.filter((c) => c.status === 'ok');
  const status: AggregateStatus =
    ok.length === cells.length ? 'ok' : ok.length > 0 ? 'partial' : (SEVERITY.find((s) => cells.some((c) => c.status === s)) ?? 'failed');
  const pick = (f: (c: CellResult) => number | null): Spread => spread(ok.map(f).filter((v): v is number => v !== null));
  const latencyMicros: Partial<Record<Step, { p50: number; p99: number }>> = {};
  const steps = new Set(ok.flatMap((c) => Object.keys(c.latencyMicros) as Step[]));
  for (const step of steps) {
    const p50 = ok.map((c) => c.latencyMicros[step]?.p50).filter((v): v is number => v !== undefined);
    const p99 = ok.map((c) => c.latencyMicros[step]?.p99).filter((v): v is number => v !== undefined);
    latencyMicros[step] = { p50: median(p50), p99: median(p99) };
  }
  const errors: Record<string, number> = {};
  for (const c of cells) for (const [k, v] of Object.entries(c.errors)) errors[k] = (errors[k] ?? 0) + v;
  return {
    scenarioId: first.scenarioId,
    targetId: first.targetId,
    status,
    crashes: cells.filter((c) => c.status === 'crashed').length,
    reasons: [...new Set(cells.map((c) => c.reason).filter((r): r is string => r !== null && r !== ''))],
    messagesPerSec: pick((c) => c.messagesPerSec),
    connectionsPerSec: pick((c) => c.connectionsPerSec),
    serverCpuMicrosPerMessage: pick((c) => c.serverCpuMicrosPerMessage),
    peakRssBytes: pick((c) => c.peakRssBytes),
    heldRssBytes: pick((c) => c.heldRssBytes),
    clientCpuShare: pick((c) => c.clientCpuShare),
    foreignCpuCores: pick((c) => c.foreignCpuCores),
    latencyMicros,
    errors,
    pipelined: ok.find((c) => c.pipelined !== null)?.pipelined ?? null,
  };
}

export function findAggregate(aggregates: readonly Aggregate[], scenarioId: string, targetId: TargetId): Aggregate | undefined {
  return aggregates.find((a) => a.scenarioId === scenarioId && a.targetId === targetId);
}
