import { describe, expect, it } from 'vitest';
import { aggregate } from '../src/matrix/aggregate.js';
import { emptyCell, type CellResult } from '../src/matrix/cell-result.js';
import { gateFailures, gateNotApplied, REGRESSION_RATIO } from '../src/matrix/regression-gate.js';
import { HEADLINE_ID, profileSettings } from '../src/matrix/scenarios.js';
import { evaluateTargets } from '../src/matrix/target-checks.js';
import { renderMarkdown } from '../src/report/markdown-report.js';
import type { RunReport } from '../src/report/run-report.js';
import { escapeXml, niceMax, renderBarChart, wrap } from '../src/report/svg-chart.js';
import type { TargetId } from '../src/targets/target-catalog.js';

function cell(scenarioId: string, targetId: TargetId, rep: number, messagesPerSec: number, over: Partial<CellResult> = {}): CellResult {
  // A CPU-bound server: CPU per message is the inverse of its rate.
  return { ...emptyCell(scenarioId, targetId, rep, 'ok', ''), reason: null, messagesPerSec, peakRssBytes: 40 * 1024 * 1024, serverCpuMicrosPerMessage: 500_000 / messagesPerSec, ...over };
}

function cells(sinkhole: number, nodeSink: number): CellResult[] {
  return [0, 1, 2].flatMap((rep) => [
    cell(HEADLINE_ID, 'sinkhole', rep, sinkhole + rep),
    cell(HEADLINE_ID, 'node-sink', rep, nodeSink + rep),
    cell(HEADLINE_ID, 'smtp-server', rep, nodeSink / 3),
  ]);
}

/** Minimal well-formedness check: every tag closes in order, attributes are quoted, entities known. */
function assertWellFormedXml(xml: string): void {
  const stack: string[] = [];
  const body = xml.replace(/<\?xml[^>]*\?>/, '');
  for (const m of body.matchAll(/<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g)) {
    const [, closing, name, , selfClosing] = m;
    if (selfClosing === '/') continue;
    if (closing === '/') expect(stack.pop()).toBe(name);
    else stack.push(name!);
  }
  expect(stack).toEqual([]);
  const stripped = body.replace(/<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g, '');
  expect(stripped).not.toMatch(/[<>]/);
  expect(stripped.replace(/&(amp|lt|gt|quot|apos);/g, '')).not.toContain('&');
}

describe('regression gate', () => {
  it('passes above REGRESSION_RATIO of the node sink and fails below it', () => {
    const pass = cells(REGRESSION_RATIO * 10_000 + 500, 10_000);
    expect(gateFailures(pass, aggregate(pass))).toEqual([]);
    const fail = cells(REGRESSION_RATIO * 10_000 - 500, 10_000);
    const failures = gateFailures(fail, aggregate(fail));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/regression: sinkhole at \d+% of the node sink's messages\/s, \d+% of its CPU efficiency/);
  });

  it('does not fail on a low messages/s ratio when CPU per message shows no regression (other load)', () => {
    const noisy = cells(4000, 10_000).map((c) => (c.targetId === 'sinkhole' ? { ...c, serverCpuMicrosPerMessage: 60 } : c));
    expect(gateFailures(noisy, aggregate(noisy))).toEqual([]);
    const slow = cells(4000, 10_000).map((c) => (c.targetId === 'sinkhole' ? { ...c, serverCpuMicrosPerMessage: 120 } : c));
    expect(gateFailures(slow, aggregate(slow)).join()).toMatch(/42% of its CPU efficiency/);
  });

  it('fails on a crash even when the ratio is fine', () => {
    const crashed = [...cells(9000, 10_000), { ...emptyCell('defer-c50', 'smtp-server', 0, 'crashed', 'server signal SIGSEGV') }];
    expect(gateFailures(crashed, aggregate(crashed)).join()).toMatch(/smtp-server crashed/);
  });

  it('does not fail on a node sink row that is unavailable by design (no STARTTLS), only on the headline', () => {
    const tls = [...cells(9000, 10_000), emptyCell('accept-1k-c10-reuse-tls', 'node-sink', 0, 'unavailable', 'this target does not offer STARTTLS')];
    expect(gateFailures(tls, aggregate(tls))).toEqual([]);
  });

  it('does not fail on smtp-source rows when smtp-source is unavailable (the run carries on without it)', () => {
    const reason = 'smtp-source unavailable: disabled (--no-postfix)';
    const noSource = [...cells(9000, 10_000), emptyCell('smtp-source-1k-c50-reuse', 'sinkhole', 0, 'unavailable', reason), emptyCell('smtp-source-1k-c50-reuse', 'node-sink', 0, 'unavailable', reason)];
    expect(gateFailures(noSource, aggregate(noSource))).toEqual([]);
    const broken = [...cells(9000, 10_000), emptyCell('accept-1k-c10-reuse', 'node-sink', 0, 'unavailable', 'bundle missing')];
    expect(gateFailures(broken, aggregate(broken)).join()).toMatch(/node-sink unavailable in accept-1k-c10-reuse/);
  });

  it('is not applied to a run without the sinkhole or the node sink among its targets', () => {
    expect(gateNotApplied(['sinkhole', 'node-sink', 'smtp-server'])).toBeNull();
    expect(gateNotApplied(['node-sink', 'smtp-server'])).toBe('not applied: sinkhole not among the targets');
    expect(gateNotApplied(['smtp-sink'])).toBe('not applied: sinkhole and node-sink not among the targets');
  });

  it('fails when the sinkhole was not measured', () => {
    const missing = cells(9000, 10_000).map((c) => (c.targetId === 'sinkhole' ? emptyCell(c.scenarioId, 'sinkhole', c.rep, 'unavailable', 'bundle missing') : c));
    expect(gateFailures(missing, aggregate(missing)).join('\n')).toMatch(/sinkhole unavailable[\s\S]*no sinkhole \/ node sink ratio/);
  });
});

describe('aggregation and targets', () => {
  it('reports medians with min–max and evaluates the issue targets', () => {
    const all = cells(9500, 10_000);
    const aggs = aggregate(all);
    const sink = aggs.find((a) => a.targetId === 'sinkhole')!;
    expect(sink.messagesPerSec).toEqual({ median: 9501, min: 9500, max: 9502, n: 3 });
    const checks = evaluateTargets(all, aggs, [HEADLINE_ID, 'defer-c50']);
    // 9501 / 10001 messages/s, and CPU per message (500,000 / rate) in the inverse ratio.
    expect(checks[0]).toMatchObject({ description: '1 KB, 50 sessions, reuse: messages/s, sinkhole ÷ node sink', pass: true });
    expect(checks[0]?.value).toBeCloseTo(0.95, 2);
    expect(checks[1]).toMatchObject({ description: '1 KB, 50 sessions, reuse: CPU per message, sinkhole ÷ node sink', pass: false });
    expect(checks[1]?.value).toBeCloseTo(1.053, 2);
    expect(checks[2]).toMatchObject({ pass: null }); // defer not measured
    const slower = cells(9000, 10_000);
    expect(evaluateTargets(slower, aggregate(slower), [HEADLINE_ID])[0]).toMatchObject({ pass: false });
  });
});

describe('SVG chart', () => {
  it('is well-formed XML and escapes labels', () => {
    const svg = renderBarChart({
      title: 'A & B <test>',
      yLabel: 'messages/s',
      series: [
        { name: 'one "1"', color: '#ff0000' },
        { name: "two '2'", color: '#00ff00' },
      ],
      groups: [
        { label: '1 KB, 50 sessions, reuse', values: [{ median: 100, min: 90, max: 110 }, null] },
        { label: 'defer <421>', values: [{ median: 5, min: 5, max: 5 }, { median: 7, min: 6, max: 8 }] },
      ],
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    assertWellFormedXml(svg);
    expect(svg).toContain('A &amp; B &lt;test&gt;');
  });

  it('rounds the axis and wraps labels', () => {
    expect(niceMax(17_234)).toBe(20_000);
    expect(niceMax(2_100)).toBe(2_500);
    expect(niceMax(1)).toBe(1);
    expect(wrap('1 KB, 50 sessions, 1 connection/message', 18)).toEqual(['1 KB, 50 sessions,', '1 connection/', 'message']);
    expect(wrap('1 KB, 1 session, reuse', 18)).toEqual(['1 KB, 1 session,', 'reuse']);
    expect(escapeXml(`<&>"'`)).toBe('&lt;&amp;&gt;&quot;&apos;');
  });
});

describe('markdown report', () => {
  it('renders the throughput table with ratios to the node sink', () => {
    const settings = profileSettings('ci');
    const all = cells(9000, 10_000);
    const aggregates = aggregate(all);
    const report: RunReport = {
      schema: 1,
      startedAt: '2026-01-02T03:04:05.000Z',
      durationSec: 60,
      quietWaitSec: 0,
      profile: 'ci',
      settings: { repetitions: 3, warmupMs: 500, durationMs: 2000 },
      environment: { node: 'v20', platform: 'linux x64', cpuModel: 'CPU', cpus: 2, loadAverage: [0, 0, 0], pinning: 'pinned', postfix: 'unavailable (test)', gitCommit: null, packagesDirty: null, sinkholeBundleTime: null, sinkholeNodeFlags: [] },
      scenarios: settings.scenarios,
      targets: [
        { id: 'sinkhole', label: 'sinkhole', unavailable: null },
        { id: 'node-sink', label: 'node sink', unavailable: null },
        { id: 'smtp-server', label: 'smtp-server', unavailable: null },
        { id: 'smtp-sink', label: 'smtp-sink', unavailable: 'smtp-sink unavailable: no apt' },
      ],
      cells: all,
      aggregates,
      checks: evaluateTargets(all, aggregates),
      gateFailures: gateFailures(all, aggregates),
      micro: null,
    };
    const md = renderMarkdown(report, 'chart.svg');
    expect(md).toContain('| **1 KB, 50 sessions, reuse** | 9,001 [9,000–9,002] (0.90×) | 10,001 [10,000–10,002] |');
    expect(md).toContain('smtp-sink not measured: smtp-sink unavailable: no apt');
    expect(md).toContain('![messages/s by scenario and target](chart.svg)');
    // The node sink's CPU per message beside every row, and each target's as a ratio of it.
    expect(md).toMatch(/\| 1 KB, 50 sessions, reuse \| 50\.0 µs \| 55\.5 µs \(1\.11×\) \| 150\.0 µs \(3\.00×\) \| – \|/);
  });
});

describe('pairedRatio', () => {
  it('pairs cells by repetition and takes the median of the ratios', async () => {
    const { pairedRatio } = await import('../src/matrix/paired-ratio.js');
    const list = [
      cell('s', 'sinkhole', 0, 50),
      cell('s', 'node-sink', 0, 100), // 0.5
      cell('s', 'sinkhole', 1, 900),
      cell('s', 'node-sink', 1, 1000), // 0.9
      cell('s', 'sinkhole', 2, 80),
      cell('s', 'node-sink', 2, 100), // 0.8
      cell('s', 'sinkhole', 3, 1),
      { ...emptyCell('s', 'node-sink', 3, 'failed', 'x') }, // unpaired: ignored
    ];
    expect(pairedRatio(list, 's', 'sinkhole', 'node-sink')).toBeCloseTo(0.8);
    expect(Number.isNaN(pairedRatio(list, 'other', 'sinkhole', 'node-sink'))).toBe(true);
  });
});

describe('RunBudget', () => {
  it('grants extra time only while the projected end stays inside the budget', async () => {
    const { RunBudget } = await import('../src/matrix/run-budget.js');
    let now = 0;
    const budget = new RunBudget(100_000, 10, () => now);
    now = 4000;
    budget.cellDone(4000); // 9 left at 4 s each: projected 40 s
    expect(budget.canSpend(50_000)).toBe(true);
    expect(budget.canSpend(70_000)).toBe(false);
    now = 80_000;
    expect(budget.canSpend(0)).toBe(false); // 80 s + 36 s > 100 s
  });
});
