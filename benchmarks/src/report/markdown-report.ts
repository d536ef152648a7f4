import { findAggregate, type Aggregate } from '../matrix/aggregate.js';
import { HEADLINE_ID } from '../matrix/scenarios.js';
import type { TargetCheck } from '../matrix/target-checks.js';
import { pairedCpuRatio, pairedRatio } from '../matrix/paired-ratio.js';
import { REGRESSION_RATIO } from '../matrix/regression-gate.js';
import { spread } from '../stats/summary.js';
import { TARGET_IDS, type TargetId } from '../targets/target-catalog.js';
import { formatMegabytes, formatMicros, formatPercent, formatRate, formatRatio, formatSpread, table } from './format.js';
import type { RunReport } from './run-report.js';

const SHORT: Record<TargetId, string> = {
  sinkhole: 'sinkhole',
  'smtp-core': 'bare engine',
  'node-sink': 'node sink',
  'smtp-server': 'smtp-server',
  'smtp-sink': 'smtp-sink',
};
const STEP_ORDER = ['CONNECT', 'EHLO', 'MAIL', 'RCPT', 'DATA', 'BODY', 'QUIT', 'TXN'] as const;

/** The human report: throughput with ratios, the targets, resources, latency, notes. */
export function renderMarkdown(report: RunReport, chartFile: string | null): string {
  const targets = TARGET_IDS.filter((id) => report.targets.some((t) => t.id === id));
  const agg = (s: string, t: TargetId): Aggregate | undefined => findAggregate(report.aggregates, s, t);
  const loadScenarios = report.scenarios.filter((s) => s.client !== 'idle');
  const idleScenarios = report.scenarios.filter((s) => s.client === 'idle');
  const parts: string[] = [];
  const { settings, environment: env } = report;

  parts.push(
    `### Run of ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC (${report.profile} profile)`,
    '',
    `${settings.repetitions} repetitions, targets interleaved; ${settings.warmupMs / 1000} s warm-up + ${settings.durationMs / 1000} s measured per cell; ` +
      `each cell starts a fresh server process. ${env.cpus} × ${env.cpuModel}, Node ${env.node}, ${env.pinning}. ` +
      `Load average at start ${env.loadAverage.map((l) => l.toFixed(2)).join(' ')}. Postfix tools: ${env.postfix}.` +
      (env.gitCommit ? ` Commit ${env.gitCommit.slice(0, 10)}${env.packagesDirty ? ' (packages/ had uncommitted changes)' : ''}.` : '') +
      (env.sinkholeBundleTime ? ` Sinkhole bundle built ${env.sinkholeBundleTime.slice(0, 16).replace('T', ' ')} UTC, run as \`node ${[...env.sinkholeNodeFlags, 'sinkhole-server.mjs'].join(' ')}\` (the image's ENTRYPOINT).` : '') +
      ` Whole run: ${Math.round(report.durationSec)} s` +
      (report.quietWaitSec >= 1 ? `, of which ${Math.round(report.quietWaitSec)} s waiting for other load to pass.` : '.'),
    '',
  );
  const foreign = spread(report.cells.map((c) => c.foreignCpuCores).filter((v): v is number => v !== null));
  if (foreign.n > 0) {
    parts.push(
      `Other load on the machine while the load client ran (CPU not used by the server or the client): median ${foreign.median.toFixed(2)} cores, max ${foreign.max.toFixed(2)} (a shared machine; ratios within one run are the figure to read).`,
      '',
    );
  }
  const rerun = report.cells.filter((c) => c.attempts > 1).length;
  if (rerun > 0) {
    parts.push(`${rerun} of ${report.cells.length} cells were run again because other load exceeded 0.25 cores during them; the quietest attempt is kept.`, '');
  }
  if (chartFile !== null) parts.push(`![messages/s by scenario and target](${chartFile})`, '');

  parts.push('#### Messages/s: median [min–max]; (×) the ratio to the minimal node sink, paired by repetition, median', '');
  const throughputRows = loadScenarios.map((s) => {
    const cells = targets.map((t) => {
      const a = agg(s.id, t);
      if (a === undefined || a.messagesPerSec.n === 0) return statusText(a);
      const x = t === 'node-sink' ? '' : ` (${formatRatio(pairedRatio(report.cells, s.id, t, 'node-sink'))})`;
      return `${formatSpread(a.messagesPerSec)}${x}${a.status === 'partial' ? ' ⚠' : ''}`;
    });
    const vsServer = pairedRatio(report.cells, s.id, 'sinkhole', 'smtp-server');
    return [s.id === HEADLINE_ID ? `**${s.title}**` : s.title, ...cells, formatRatio(vsServer)];
  });
  parts.push(table(['scenario', ...targets.map((t) => SHORT[t]), 'sinkhole ÷ smtp-server'], throughputRows), '');

  if (report.checks.length > 0 && report.profile === 'full') {
    parts.push('#### Issue 15 targets (this run)', '', table(['target', 'measured', 'wanted', 'met'], report.checks.map(checkRow)), '');
  }

  if (targets.includes('node-sink')) {
    const others = targets.filter((t) => t !== 'node-sink');
    parts.push(
      "#### CPU per message: the server's CPU time per transaction, median µs; (×) the target's ÷ the node sink's, paired by repetition",
      '',
      'The cost that messages/s tends to where the server\'s core is the limit; it moves far less with other load than messages/s. Below 1× costs less than the node sink.',
      '',
      table(
        ['scenario', 'node sink', ...others.map((t) => SHORT[t])],
        loadScenarios.map((s) => [
          s.title,
          cpuText(agg(s.id, 'node-sink')),
          ...others.map((t) => {
            const a = agg(s.id, t);
            return a === undefined || a.serverCpuMicrosPerMessage.n === 0 ? statusText(a) : `${cpuText(a)} (${formatRatio(pairedCpuRatio(report.cells, s.id, t, 'node-sink'))})`;
          }),
        ]),
      ),
      '',
    );
  }

  parts.push('#### Server resources: peak RSS (VmHWM, max over repetitions) · CPU per message (median)', '');
  parts.push(
    table(
      ['scenario', ...targets.map((t) => SHORT[t])],
      report.scenarios.map((s) => [
        s.title,
        ...targets.map((t) => {
          const a = agg(s.id, t);
          if (a === undefined || a.peakRssBytes.n === 0) return statusText(a);
          const cpu = a.serverCpuMicrosPerMessage.n > 0 ? ` · ${a.serverCpuMicrosPerMessage.median.toFixed(1)} µs/msg` : '';
          return `${formatMegabytes(a.peakRssBytes.max)}${cpu}`;
        }),
      ]),
    ),
    '',
  );

  for (const s of idleScenarios) {
    parts.push(`#### ${s.title}`, '');
    parts.push(
      table(
        ['target', 'established', 'RSS while held', 'peak RSS', 'connects/s'],
        targets.map((t) => {
          const a = agg(s.id, t);
          if (a === undefined || a.heldRssBytes.n === 0) return [SHORT[t], statusText(a), '–', '–', '–'];
          return [SHORT[t], a.status === 'ok' ? 'all' : a.status, formatMegabytes(a.heldRssBytes.median), formatMegabytes(a.peakRssBytes.max), formatRate(a.connectionsPerSec.median)];
        }),
      ),
      '',
    );
  }

  const headline = report.scenarios.find((s) => s.id === HEADLINE_ID);
  if (headline !== undefined) {
    parts.push(`#### Latency at ${headline.title}: p50 / p99 per command (median over repetitions)`, '');
    const steps = STEP_ORDER.filter((step) => targets.some((t) => agg(HEADLINE_ID, t)?.latencyMicros[step] !== undefined));
    parts.push(
      table(
        ['step', ...targets.map((t) => SHORT[t])],
        steps.map((step) => [
          step,
          ...targets.map((t) => {
            const l = agg(HEADLINE_ID, t)?.latencyMicros[step];
            return l === undefined ? '–' : `${formatMicros(l.p50)} / ${formatMicros(l.p99)}`;
          }),
        ]),
      ),
      '',
    );
    const shares = targets
      .map((t) => [t, agg(HEADLINE_ID, t)?.clientCpuShare.median ?? Number.NaN] as const)
      .filter(([, v]) => Number.isFinite(v))
      .map(([t, v]) => `${SHORT[t]} ${formatPercent(v)}`);
    if (shares.length > 0) parts.push(`Load-client CPU (share of its own core) at ${headline.title}: ${shares.join(', ')}.`, '');
  }

  if (report.micro !== null) {
    parts.push('#### Micro-benchmarks (smtp-core hot path, median [min–max])', '');
    if (report.micro.available) {
      parts.push(table(['function', 'rate', 'unit', 'input'], report.micro.cases.map((c) => [c.name, formatSpread(c.rate), c.unit, c.note])), '');
    } else {
      parts.push(`Unavailable: ${report.micro.reason}`, '');
    }
  }

  const unavailable = report.targets.filter((t) => t.unavailable !== null);
  const byReason = new Map<string, string[]>();
  for (const a of report.aggregates) {
    if (a.status === 'ok' || unavailable.some((t) => t.id === a.targetId)) continue;
    const key = `${a.status}: ${a.reasons.join('; ')}`;
    byReason.set(key, [...(byReason.get(key) ?? []), `${a.scenarioId} / ${SHORT[a.targetId]}`]);
  }
  const notes = [
    ...unavailable.map((t) => `- ${SHORT[t.id]} not measured: ${t.unavailable}`),
    ...[...byReason].map(([reason, where]) => `- ${where.join(', ')}: ${reason}`),
  ];
  if (notes.length > 0) parts.push('#### Notes', '', ...notes, '');
  if (report.gateNotApplied !== undefined && report.gateNotApplied !== null) {
    parts.push(`CI gate: ${report.gateNotApplied}.`, '');
  } else if (report.gateFailures.length > 0) {
    parts.push('#### CI gate: FAILED', '', ...report.gateFailures.map((f) => `- ${f}`), '');
  } else {
    parts.push(`CI gate (sinkhole ≥ ${REGRESSION_RATIO * 100}% of the node sink at 1 KB, 50 sessions, reuse, in messages/s or in CPU efficiency; no crash): passed.`, '');
  }
  return parts.join('\n');
}

function statusText(a: Aggregate | undefined): string {
  if (a === undefined) return '–';
  return a.status === 'ok' ? '–' : a.status;
}

function cpuText(a: Aggregate | undefined): string {
  return a === undefined || a.serverCpuMicrosPerMessage.n === 0 ? statusText(a) : `${a.serverCpuMicrosPerMessage.median.toFixed(1)} µs`;
}

function checkRow(c: TargetCheck): string[] {
  const measured = c.unit === 'MB' ? (Number.isFinite(c.value) ? `${c.value.toFixed(1)} MB` : '–') : formatRatio(c.value);
  const wanted = c.unit === 'MB' ? `${c.comparator} ${c.threshold} MB` : `${c.comparator} ${c.threshold}×`;
  return [c.description, measured, wanted, c.pass === null ? 'not measured' : c.pass ? 'yes' : '**no**'];
}

