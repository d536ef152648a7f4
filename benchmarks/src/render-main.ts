import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { README } from './paths.js';
import type { RunReport } from './report/run-report.js';
import { updateReadme, writeResults } from './report/write-results.js';

/**
 * Entry: node dist/render.mjs results/<date>.json [--readme]: renders the markdown and the SVG
 * again from a run's JSON (after a change to the report format), and optionally the README.
 */
const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
if (file === undefined) {
  process.stderr.write('usage: node dist/render.mjs <results/date.json> [--readme]\n');
  process.exit(2);
}
const report = JSON.parse(readFileSync(file, 'utf8')) as RunReport;
const files = writeResults(report, dirname(file));
if (args.includes('--readme')) updateReadme(README, report, files);
process.stdout.write(`${files.text}\n`);
