import type { CellResult } from './cell-result.js';
import { findAggregate, type Aggregate } from './aggregate.js';
import { pairedCpuRatio, pairedRatio } from './paired-ratio.js';
import { ALL_SCENARIOS, HEADLINE_ID } from './scenarios.js';

/** One of issue 15's targets, evaluated on one run (ratios paired by repetition). pass is null when not measured. */
export interface TargetCheck {
  readonly description: string;
  readonly value: number;
  readonly threshold: number;
  readonly unit: 'ratio' | 'MB';
  readonly comparator: '>=' | '<=' | '<';
  readonly pass: boolean | null;
}

const MB = 1024 * 1024;

/** The rows whose messages/s and CPU per message are held to the node sink's (issue 15). */
export const NODE_CEILING_SCENARIOS: readonly string[] = [
  'accept-1k-c1-reuse',
  HEADLINE_ID,
  'accept-1k-c50-per-message',
  'accept-100k-c10-reuse',
  'defer-c50',
  'accept-1k-c50-reuse-pipelined',
  'accept-1k-c200-reuse',
];
export const MIN_RATE_RATIO = 0.95;
export const MAX_CPU_RATIO = 1.05;

export function evaluateTargets(cells: readonly CellResult[], aggregates: readonly Aggregate[], scenarioIds: readonly string[] = NODE_CEILING_SCENARIOS): TargetCheck[] {
  const peak = (scenario: string): number => (findAggregate(aggregates, scenario, 'sinkhole')?.peakRssBytes.max ?? Number.NaN) / MB;
  const check = (description: string, value: number, comparator: TargetCheck['comparator'], threshold: number, unit: TargetCheck['unit']): TargetCheck => ({
    description,
    value,
    threshold,
    unit,
    comparator,
    pass: Number.isFinite(value) ? compare(value, comparator, threshold) : null,
  });
  const title = (id: string): string => ALL_SCENARIOS.find((s) => s.id === id)?.title ?? id;
  return [
    ...scenarioIds.flatMap((id) => [
      check(`${title(id)}: messages/s, sinkhole ÷ node sink`, pairedRatio(cells, id, 'sinkhole', 'node-sink'), '>=', MIN_RATE_RATIO, 'ratio'),
      check(`${title(id)}: CPU per message, sinkhole ÷ node sink`, pairedCpuRatio(cells, id, 'sinkhole', 'node-sink'), '<=', MAX_CPU_RATIO, 'ratio'),
    ]),
    check('peak RSS, 200 sessions, max over repetitions', peak('accept-1k-c200-reuse'), '<=', 64, 'MB'),
    check('peak RSS, 10,000 idle connections, max over repetitions', peak('idle-10k'), '<=', 80, 'MB'),
  ];
}
function compare(value: number, comparator: TargetCheck['comparator'], threshold: number): boolean {
  switch (comparator) {
    case '>=':
      return value >= threshold;
    case '<=':
      return value <= threshold;
    case '<':
      return value < threshold;
  }
}
