import type { Step } from '../load/load-types.js';
import type { TargetId } from '../targets/target-catalog.js';

/**
 * ok: measured. unavailable: the target cannot run here (bundle or tool missing).
 * failed: the target did not start, or the client could not run. crashed: the server died mid-run.
 */
export type CellStatus = 'ok' | 'unavailable' | 'failed' | 'crashed';

export interface LatencySummary {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly count: number;
}

/** One (scenario, target, repetition) measurement: one server process, one client run. */
export interface CellResult {
  readonly scenarioId: string;
  readonly targetId: TargetId;
  readonly rep: number;
  readonly status: CellStatus;
  readonly reason: string | null;
  /** Transactions per second with the mode's expected outcome (goodput). */
  readonly messagesPerSec: number | null;
  readonly connectionsPerSec: number | null;
  readonly messages: number | null;
  readonly errors: Readonly<Record<string, number>>;
  readonly outcomes: Readonly<Record<string, number>>;
  readonly latencyMicros: Readonly<Partial<Record<Step, LatencySummary>>>;
  readonly serverCpuMicrosPerMessage: number | null;
  /** Load-client CPU / wall time in the window (1 = one saturated core). */
  readonly clientCpuShare: number | null;
  /** CPU the rest of the machine used during the client run, in cores (noise indicator). */
  readonly foreignCpuCores: number | null;
  /** Server VmHWM at the end of the cell (fresh process per cell). */
  readonly peakRssBytes: number | null;
  /** Idle scenario: server VmRSS while all connections were held, and how many were up. */
  readonly heldRssBytes: number | null;
  readonly established: number | null;
  readonly pipelined: boolean | null;
  /** How many times the cell was run (re-runs happen when other load disturbed it). */
  readonly attempts: number;
}

export function emptyCell(scenarioId: string, targetId: TargetId, rep: number, status: CellStatus, reason: string): CellResult {
  return {
    scenarioId,
    targetId,
    rep,
    status,
    reason,
    messagesPerSec: null,
    connectionsPerSec: null,
    messages: null,
    errors: {},
    outcomes: {},
    latencyMicros: {},
    serverCpuMicrosPerMessage: null,
    clientCpuShare: null,
    foreignCpuCores: null,
    peakRssBytes: null,
    heldRssBytes: null,
    established: null,
    pipelined: null,
    attempts: 1,
  };
}
