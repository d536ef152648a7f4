import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { killTrackedNow, killTrackedOnSignals } from '@sinkhole/test-kit';
import { aggregate } from './matrix/aggregate.js';
import type { CellResult } from './matrix/cell-result.js';
import { isNoisy, MAX_ATTEMPTS, NOISE_THRESHOLD_CORES, quieter } from './matrix/noise-policy.js';
import { RunBudget } from './matrix/run-budget.js';
import { waitForQuiet } from './proc/quiet-wait.js';
import { gateFailures, gateNotApplied } from './matrix/regression-gate.js';
import { runCell, type CellContext } from './matrix/run-cell.js';
import { evaluateTargets } from './matrix/target-checks.js';
import { runMicroProcess } from './micro/run-micro-process.js';
import { CI_RESULTS_DIR, DIST_DIR, README, REPO_ROOT, RESULTS_DIR, SINKHOLE_BUNDLE, SINKHOLE_DOCKERFILE } from './paths.js';
import { imageNodeFlags } from '@sinkhole/test-kit';
import { fetchPostfixTools, type PostfixTools } from './postfix/postfix-tools.js';
import { detectPinning } from './proc/cpu-pinning.js';
import { formatMegabytes, formatRate } from './report/format.js';
import type { RunReport } from './report/run-report.js';
import { updateReadme, writeResults } from './report/write-results.js';
import { parseRunArgs, RUN_USAGE } from './run-options.js';
import { buildTargets } from './targets/target-catalog.js';

/** Longest wait for other load to drop below the threshold before a cell. */
const QUIET_WAIT_MS = 5000;

/** Entry of `pnpm bench` / `pnpm bench:ci`: runs the matrix, writes the results, applies the CI gate. */
async function main(): Promise<number> {
  let options: ReturnType<typeof parseRunArgs>;
  try {
    options = parseRunArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`bench: ${(err as Error).message}\n${RUN_USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${RUN_USAGE}\n`);
    return 0;
  }
  const { settings } = options;
  const started = new Date();
  const t0 = process.hrtime.bigint();
  const log = (line: string): void => void process.stderr.write(`${line}\n`);

  const pinning = detectPinning();
  log(`bench: ${settings.profile} profile, ${settings.scenarios.length} scenarios × ${options.targets.length} targets × ${settings.repetitions} repetitions; ${pinning.note}`);
  let postfix: PostfixTools = { available: false, reason: 'disabled (--no-postfix)' };
  if (options.postfix) {
    postfix = await fetchPostfixTools(settings.profile === 'ci' ? 45_000 : 120_000);
    log(postfix.available ? `bench: Postfix smtp-sink and smtp-source at ${postfix.libraryPath}/../..` : `bench: smtp-sink and smtp-source unavailable (${postfix.reason}); carrying on with the Node client and targets`);
  }
  const targets = buildTargets(postfix).filter((t) => options.targets.includes(t.id));
  for (const t of targets) if (t.unavailable !== null) log(`bench: target unavailable: ${t.id}: ${t.unavailable}`);

  const ctx: CellContext = { settings, pinning, postfix, recentRates: new Map() };
  const cells: CellResult[] = [];
  const total = settings.repetitions * settings.scenarios.length * targets.length;
  // The budget counts from the start of the run, so a slow Postfix fetch leaves less for waiting.
  const budget = new RunBudget(settings.timeBudgetMs - Number(process.hrtime.bigint() - t0) / 1e6, total);
  let quietWaitMs = 0;
  for (let rep = 0; rep < settings.repetitions; rep++) {
    ctx.recentRates.clear();
    for (const scenario of settings.scenarios) {
      // Interleave: each repetition starts the rotation at a different target.
      const order = targets.map((_, i) => targets[(i + rep) % targets.length]!);
      for (const target of order) {
        if (budget.canSpend(QUIET_WAIT_MS)) {
          const quiet = await waitForQuiet(NOISE_THRESHOLD_CORES, QUIET_WAIT_MS);
          quietWaitMs += quiet.waitedMs;
          if (!quiet.quiet) log(`    other load ${quiet.loadCores?.toFixed(2)} cores for ${QUIET_WAIT_MS / 1000} s: measuring anyway`);
        }
        const t0 = Date.now();
        let attempt = await runCell(ctx, scenario, target, rep);
        budget.cellDone(Date.now() - t0);
        let cell = attempt;
        let attempts = 1;
        while (isNoisy(cell) && attempts < MAX_ATTEMPTS && budget.canSpend(budget.averageCellMs + QUIET_WAIT_MS)) {
          log(`    ${target.id}: other load ${attempt.foreignCpuCores?.toFixed(2)} cores during attempt ${attempts}, running the cell again`);
          attempts += 1;
          const quiet = await waitForQuiet(NOISE_THRESHOLD_CORES, QUIET_WAIT_MS);
          quietWaitMs += quiet.waitedMs;
          attempt = await runCell(ctx, scenario, target, rep);
          cell = quieter(cell, attempt);
        }
        cell = { ...cell, attempts };
        cells.push(cell);
        log(`[${cells.length}/${total}] rep ${rep + 1} · ${scenario.title} · ${target.id}: ${describe(cell)}`);
      }
    }
  }

  log(`bench: waited ${(quietWaitMs / 1000).toFixed(0)} s in total for other load to pass`);

  let micro: RunReport['micro'] = null;
  if (options.micro) {
    log('bench: micro-benchmarks');
    micro = await runMicroProcess(join(DIST_DIR, 'micro.mjs'), pinning.serverCpu);
  }

  const aggregates = aggregate(cells);
  const gateSkipped = gateNotApplied(targets.map((t) => t.id));
  const report: RunReport = {
    schema: 1,
    startedAt: started.toISOString(),
    durationSec: Number(process.hrtime.bigint() - t0) / 1e9,
    quietWaitSec: quietWaitMs / 1000,
    profile: settings.profile,
    settings: { repetitions: settings.repetitions, warmupMs: settings.warmupMs, durationMs: settings.durationMs },
    environment: {
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown CPU',
      cpus: cpus().length,
      loadAverage: loadavg(),
      pinning: pinning.note,
      postfix: postfix.available ? 'smtp-sink and smtp-source (Debian postfix package, extracted)' : `unavailable (${postfix.reason})`,
      gitCommit: gitCommit(),
      packagesDirty: packagesDirty(),
      sinkholeNodeFlags: imageNodeFlags(SINKHOLE_DOCKERFILE),
      sinkholeBundleTime: existsSync(SINKHOLE_BUNDLE) ? statSync(SINKHOLE_BUNDLE).mtime.toISOString() : null,
    },
    scenarios: settings.scenarios,
    targets: targets.map((t) => ({ id: t.id, label: t.label, unavailable: t.unavailable })),
    cells,
    aggregates,
    checks: evaluateTargets(cells, aggregates),
    gateFailures: gateSkipped === null ? gateFailures(cells, aggregates) : [],
    gateNotApplied: gateSkipped,
    micro,
  };
  const outDir = options.outDir ?? (settings.profile === 'ci' ? CI_RESULTS_DIR : RESULTS_DIR);
  const files = writeResults(report, outDir);
  if (options.readme && updateReadme(README, report, files)) log(`bench: README updated`);
  process.stdout.write(`${files.text}\n`);
  log(`bench: wrote ${files.json}, ${files.markdown}, ${files.svg}`);
  if (gateSkipped !== null) {
    log(`bench: CI gate ${gateSkipped}`);
    // The ci profile is the gate: without its two targets it has not checked anything.
    if (settings.profile === 'ci') return 1;
  }
  if (report.gateFailures.length > 0) {
    log(`bench: CI gate failed:\n${report.gateFailures.map((f) => `  - ${f}`).join('\n')}`);
    return settings.profile === 'ci' ? 1 : 0;
  }
  return 0;
}

function describe(cell: CellResult): string {
  if (cell.status !== 'ok') return `${cell.status}: ${cell.reason ?? ''}`;
  const parts: string[] = [];
  if (cell.messagesPerSec !== null) parts.push(`${formatRate(cell.messagesPerSec)} msg/s`);
  if (cell.established !== null) parts.push(`${cell.established} held, ${formatMegabytes(cell.heldRssBytes ?? Number.NaN)} RSS`);
  if (cell.serverCpuMicrosPerMessage !== null) parts.push(`${cell.serverCpuMicrosPerMessage.toFixed(1)} µs CPU/msg`);
  if (cell.peakRssBytes !== null) parts.push(`peak ${formatMegabytes(cell.peakRssBytes)}`);
  if (cell.clientCpuShare !== null) parts.push(`client ${(cell.clientCpuShare * 100).toFixed(0)}% CPU`);
  if (cell.foreignCpuCores !== null) parts.push(`other load ${cell.foreignCpuCores.toFixed(2)} cores`);
  return parts.join(', ');
}

function packagesDirty(): boolean | null {
  const r = spawnSync('git', ['status', '--porcelain', '--', 'packages'], { cwd: REPO_ROOT, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() !== '' : null;
}

function gitCommit(): string | null {
  const r = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

// Nothing the runner started outlives it: not on Ctrl-C, not on SIGTERM.
killTrackedOnSignals();
main()
  .then((code) => {
    killTrackedNow();
    process.exitCode = code;
  })
  .catch((err: unknown) => {
    killTrackedNow();
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
