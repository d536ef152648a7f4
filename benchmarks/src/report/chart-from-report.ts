import { findAggregate } from '../matrix/aggregate.js';
import { TARGET_IDS, type TargetId } from '../targets/target-catalog.js';
import type { RunReport } from './run-report.js';
import { renderBarChart, type ChartSpec } from './svg-chart.js';

const COLORS: Record<TargetId, string> = {
  sinkhole: '#d62728',
  'smtp-core': '#ff9896',
  'node-sink': '#7f7f7f',
  'smtp-server': '#1f77b4',
  'smtp-sink': '#2ca02c',
};
const NAMES: Record<TargetId, string> = {
  sinkhole: 'sinkhole-server',
  'smtp-core': 'bare smtp-core engine',
  'node-sink': 'minimal node:net sink',
  'smtp-server': 'nodemailer smtp-server',
  'smtp-sink': 'Postfix smtp-sink',
};

/** Messages/s by scenario (groups) and target (bars), medians with min–max whiskers. */
export function throughputChart(report: RunReport): string {
  const targets = TARGET_IDS.filter((id) => report.targets.some((t) => t.id === id));
  const spec: ChartSpec = {
    title: `Messages/s by scenario and target (${report.startedAt.slice(0, 10)}, median of ${report.settings.repetitions}, min–max whiskers)`,
    yLabel: 'messages/s',
    series: targets.map((t) => ({ name: NAMES[t], color: COLORS[t] })),
    groups: report.scenarios
      .filter((s) => s.client !== 'idle')
      .map((s) => ({
        label: s.title,
        values: targets.map((t) => {
          const m = findAggregate(report.aggregates, s.id, t)?.messagesPerSec;
          return m === undefined || m.n === 0 ? null : { median: m.median, min: m.min, max: m.max };
        }),
      })),
  };
  return renderBarChart(spec);
}
