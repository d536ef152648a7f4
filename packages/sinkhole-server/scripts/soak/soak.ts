// Soak: the sinkhole under a mixed load for a chosen time, sampled every second from inside
// the server process; writes a CSV and a verdict. Not part of CI. See --help.
// Run: npx tsx --conditions=source packages/sinkhole-server/scripts/soak/soak.ts --duration 10m
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { imageNodeFlags, track } from '@sinkhole/test-kit';
import { buildSoakServer } from './build-soak-server.js';
import { ModeFlipper } from './mode-flipper.js';
import { parseSoakArgs, SOAK_HELP } from './soak-args.js';
import { LoadStats, runLoad } from './soak-load.js';
import { toCsv, verdict, type ServerSample, type SoakRow } from './soak-report.js';

const SETTLE_MS = 5_000;
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

const args = parseSoakArgs(process.argv.slice(2));
if (args.kind === 'help') {
  console.log(SOAK_HELP);
  process.exit(0);
}
if (args.kind === 'error') {
  console.error(`soak: ${args.message}`);
  process.exit(2);
}
const options = args.options;
const nodeFlags = options.nodeFlags ?? imageNodeFlags();
const outDir = options.outDir ?? join(REPO_ROOT, '.cache', 'soak');
const work = await mkdtemp(join(tmpdir(), 'sinkhole-soak-'));
const modeFile = join(work, 'mode');
await ModeFlipper.init(modeFile);
const serverScript = await buildSoakServer(work);

const child = track(spawn(process.execPath, [...nodeFlags, serverScript, modeFile], { stdio: ['ignore', 'pipe', 'inherit'], cwd: work }));
const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
const stats = new LoadStats();
const rows: SoakRow[] = [];
let phase: SoakRow['phase'] = 'load';
let flipper: ModeFlipper | undefined;
const port = await new Promise<number>((resolve, reject) => {
  let partial = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    partial += chunk;
    let index: number;
    while ((index = partial.indexOf('\n')) !== -1) {
      const record = JSON.parse(partial.slice(0, index)) as { type: string; port?: number } & ServerSample;
      partial = partial.slice(index + 1);
      if (record.type === 'ready' && record.port !== undefined) resolve(record.port);
      if (record.type !== 'sample') continue;
      const row: SoakRow = { ...record, phase, mode: flipper?.mode ?? 'accept', clientSessions: stats.sessions, clientProblems: stats.problems };
      rows.push(row);
      if (Math.round(row.t) % 10 === 0) {
        console.log(
          `t=${Math.round(row.t)}s ${phase} mode=${row.mode} rss=${row.rssMb.toFixed(1)}MB heap=${row.heapUsedMb.toFixed(1)}MB fds=${row.fds} ` +
            `connections=${row.connections} loopMax=${row.loopMaxMs.toFixed(1)}ms sessions=${stats.sessions} problems=${stats.problems}`,
        );
      }
    }
  });
  child.once('exit', () => reject(new Error('the soak server exited before it was ready')));
});

console.log(`soak: server pid ${String(child.pid)} on 127.0.0.1:${port}, node ${nodeFlags.join(' ') || '(no flags)'}; ${options.durationMs / 1000} s, ${options.concurrency} clients, hostile ${options.hostile}`);
flipper = new ModeFlipper(modeFile, options.flipEveryMs);
const deadline = Date.now() + options.durationMs;
// The load stops early if the server dies (the verdict then says how it exited).
await runLoad(port, { concurrency: options.concurrency, hostile: options.hostile, stop: () => Date.now() >= deadline || child.exitCode !== null }, stats);
flipper.stop();
phase = 'settle';
await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
child.kill('SIGTERM');
const exitCode = await exited;

const result = verdict(rows, options, { exitCode, firstProblems: stats.firstProblems, outcomes: stats.outcomes, flips: flipper.flips });
await mkdir(outDir, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const csvPath = join(outDir, `soak-${stamp}.csv`);
const verdictPath = join(outDir, `soak-${stamp}-verdict.txt`);
await writeFile(csvPath, toCsv(rows));
await writeFile(verdictPath, `${result.text}\n`);
await writeFile(join(outDir, `soak-${stamp}-verdict.json`), `${JSON.stringify({ pass: result.pass, options: { ...options, nodeFlags }, figures: result.figures }, null, 2)}\n`);
await rm(work, { recursive: true, force: true });
console.log(result.text);
console.log(`CSV: ${csvPath}\nverdict: ${verdictPath}`);
process.exit(result.pass ? 0 : 1);
