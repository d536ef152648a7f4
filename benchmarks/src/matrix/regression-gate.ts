import type { Aggregate } from './aggregate.js';
import type { CellResult } from './cell-result.js';
import { pairedRatio } from './paired-ratio.js';
import { HEADLINE_ID } from './scenarios.js';

/** Below this fraction of the node sink's messages/s at the headline scenario, CI fails. */
export const GROSS_REGRESSION_RATIO = 0.5;

/**
 * The CI verdict: a list of reasons to fail, empty when the run passes. Only ratios measured
 * in the same run and crashes count, never an absolute time or rate.
 */
export function gateFailures(cells: readonly CellResult[], aggregates: readonly Aggregate[]): string[] {
  const failures: string[] = [];
  for (const a of aggregates) {
    if (a.crashes > 0) {
      failures.push(`${a.targetId} crashed in ${a.crashes} repetition(s) of ${a.scenarioId}: ${a.reasons.join('; ')}`);
    } else if ((a.targetId === 'sinkhole' || a.targetId === 'node-sink') && a.status !== 'ok' && a.status !== 'partial') {
      failures.push(`${a.targetId} ${a.status} in ${a.scenarioId}: ${a.reasons.join('; ')}`);
    }
  }
  const r = pairedRatio(cells, HEADLINE_ID, 'sinkhole', 'node-sink');
  if (!Number.isFinite(r)) {
    failures.push(`no sinkhole / node sink ratio for ${HEADLINE_ID} (one side not measured)`);
  } else if (r < GROSS_REGRESSION_RATIO) {
    failures.push(`gross regression: sinkhole at ${(r * 100).toFixed(0)}% of the node sink at ${HEADLINE_ID} (floor ${GROSS_REGRESSION_RATIO * 100}%)`);
  }
  return failures;
}
