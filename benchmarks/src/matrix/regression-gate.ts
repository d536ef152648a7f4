import type { Aggregate } from './aggregate.js';
import type { CellResult } from './cell-result.js';
import { pairedCpuEfficiency, pairedRatio } from './paired-ratio.js';
import { HEADLINE_ID } from './scenarios.js';

/**
 * Below this fraction of the node sink's messages/s (and of its CPU efficiency) at the headline
 * scenario, CI fails (issue 15). The sinkhole runs at about 1.0x the node sink there in both
 * since the issue 15 work, so a real regression of 20% fails and noise, which moves
 * messages/s far more than CPU per message, does not.
 */
export const REGRESSION_RATIO = 0.8;

/** The node sink offers no STARTTLS, so its TLS rows are unavailable by design (the headline ratio still needs it). */
function unavailableByDesign(a: Aggregate): boolean {
  return a.targetId === 'node-sink' && a.status === 'unavailable' && a.scenarioId !== HEADLINE_ID;
}

/**
 * The CI verdict: a list of reasons to fail, empty when the run passes. Only ratios measured
 * in the same run and crashes count, never an absolute time or rate. A regression is the
 * sinkhole's messages/s below REGRESSION_RATIO of the node sink's at the headline scenario,
 * confirmed by its CPU per message (also below that share of the node sink's efficiency) when
 * /proc gave one: other load on a shared machine can cut a messages/s figure by
 * half, but it barely moves CPU per message, so noise alone does not fail CI.
 */
export function gateFailures(cells: readonly CellResult[], aggregates: readonly Aggregate[]): string[] {
  const failures: string[] = [];
  for (const a of aggregates) {
    if (a.crashes > 0) {
      failures.push(`${a.targetId} crashed in ${a.crashes} repetition(s) of ${a.scenarioId}: ${a.reasons.join('; ')}`);
    } else if ((a.targetId === 'sinkhole' || a.targetId === 'node-sink') && a.status !== 'ok' && a.status !== 'partial' && !unavailableByDesign(a)) {
      failures.push(`${a.targetId} ${a.status} in ${a.scenarioId}: ${a.reasons.join('; ')}`);
    }
  }
  const r = pairedRatio(cells, HEADLINE_ID, 'sinkhole', 'node-sink');
  const cpu = pairedCpuEfficiency(cells, HEADLINE_ID, 'sinkhole', 'node-sink');
  if (!Number.isFinite(r)) {
    failures.push(`no sinkhole / node sink ratio for ${HEADLINE_ID} (one side not measured)`);
  } else if (r < REGRESSION_RATIO && !(cpu >= REGRESSION_RATIO)) {
    const cpuText = Number.isFinite(cpu) ? `, ${(cpu * 100).toFixed(0)}% of its CPU efficiency` : '';
    failures.push(`regression: sinkhole at ${(r * 100).toFixed(0)}% of the node sink's messages/s${cpuText} at ${HEADLINE_ID} (floor ${REGRESSION_RATIO * 100}%)`);
  }
  return failures;
}
