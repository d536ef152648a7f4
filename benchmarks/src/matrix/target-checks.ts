import type { CellResult } from './cell-result.js';
import { findAggregate, type Aggregate } from './aggregate.js';
import { pairedCpuEfficiency, pairedRatio } from './paired-ratio.js';
import { HEADLINE_ID } from './scenarios.js';

/** One of issue 6's "targets to report", evaluated on one run (ratios paired by repetition). pass is null when not measured. */
export interface TargetCheck {
  readonly description: string;
  readonly value: number;
  readonly threshold: number;
  readonly unit: 'ratio' | 'MB';
  readonly comparator: '>=' | '<=' | '<';
  readonly pass: boolean | null;
  /** For ratio checks: the same ratio on server CPU per message (less sensitive to other load); NaN otherwise. */
  readonly cpuEfficiency: number;
}

const MB = 1024 * 1024;

export function evaluateTargets(cells: readonly CellResult[], aggregates: readonly Aggregate[]): TargetCheck[] {
  const vsSink = (scenario: string): number => pairedRatio(cells, scenario, 'sinkhole', 'node-sink');
  const peak = (scenario: string): number => (findAggregate(aggregates, scenario, 'sinkhole')?.peakRssBytes.max ?? Number.NaN) / MB;
  const check = (description: string, value: number, comparator: TargetCheck['comparator'], threshold: number, unit: TargetCheck['unit'], cpuEfficiency = Number.NaN): TargetCheck => ({
    description,
    value,
    threshold,
    unit,
    comparator,
    pass: Number.isFinite(value) ? compare(value, comparator, threshold) : null,
    cpuEfficiency,
  });
  const cpu = (scenario: string, b: 'node-sink' | 'smtp-server' = 'node-sink'): number => pairedCpuEfficiency(cells, scenario, 'sinkhole', b);
  return [
    check('1 KB, 50 sessions, reuse: sinkhole / node sink', vsSink(HEADLINE_ID), '>=', 0.9, 'ratio', cpu(HEADLINE_ID)),
    check('1 KB, 50 sessions, reuse: sinkhole / smtp-server', pairedRatio(cells, HEADLINE_ID, 'sinkhole', 'smtp-server'), '>=', 2.5, 'ratio', cpu(HEADLINE_ID, 'smtp-server')),
    check('1 connection/message, 50 sessions: sinkhole / node sink', vsSink('accept-1k-c50-per-message'), '>=', 0.85, 'ratio', cpu('accept-1k-c50-per-message')),
    check('100 KB, 10 sessions: sinkhole / node sink', vsSink('accept-100k-c10-reuse'), '>=', 0.9, 'ratio', cpu('accept-100k-c10-reuse')),
    check('defer, 50 sessions: sinkhole / node sink', vsSink('defer-c50'), '>=', 0.9, 'ratio', cpu('defer-c50')),
    check('peak RSS, 200 sessions (env mode), max over repetitions', peak('accept-1k-c200-reuse'), '<=', 64, 'MB'),
    check('peak RSS, 10,000 idle connections, max over repetitions', peak('idle-10k'), '<', 128, 'MB'),
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
