import type { Aggregate } from './aggregate.js';
import type { CellResult } from './cell-result.js';
import { pairedCpuEfficiency, pairedRatio } from './paired-ratio.js';
import { ALL_SCENARIOS, HEADLINE_ID } from './scenarios.js';
import type { TargetId } from '../targets/target-catalog.js';

/**
 * Below this fraction of the node sink's messages/s (and of its CPU efficiency) at the headline
 * scenario, CI fails (issue 15). The sinkhole runs at about 1.0x the node sink there in both
 * since the issue 15 work, so a real regression of 20% fails and noise, which moves
 * messages/s far more than CPU per message, does not.
 */
export const REGRESSION_RATIO = 0.8;

/**
 * Rows that are unavailable by design, not by a fault: the node sink offers no STARTTLS (the
 * headline ratio still needs it), and a row driven by smtp-source has no client when Postfix's
 * tools could not be fetched or --no-postfix was given (the run carries on without them).
 */
function unavailableByDesign(a: Aggregate): boolean {
  if (a.status !== 'unavailable' || a.scenarioId === HEADLINE_ID) return false;
  if (a.targetId === 'node-sink' && a.reasons.every((r) => r.includes('STARTTLS'))) return true;
  const scenario = ALL_SCENARIOS.find((s) => s.id === a.scenarioId);
  return scenario?.client === 'smtp-source' && a.reasons.every((r) => r.startsWith('smtp-source unavailable'));
}

/**
 * Why the gate does not apply to a run of these targets (null when it does): it compares the
 * sinkhole with the node sink, so a run without either (`--targets`) has nothing to judge.
 */
export function gateNotApplied(targets: readonly TargetId[]): string | null {
  const missing = (['sinkhole', 'node-sink'] as const).filter((t) => !targets.includes(t));
  return missing.length === 0 ? null : `not applied: ${missing.join(' and ')} not among the targets`;
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
