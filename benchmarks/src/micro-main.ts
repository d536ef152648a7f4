import { runHotPathCases } from './micro/hot-path-cases.js';
import type { MicroReport } from './micro/micro-types.js';
import { formatSpread } from './report/format.js';

/** Entry of `pnpm bench:micro` (and of the full run): hot-path rates, JSON with --json. */
function main(): void {
  const json = process.argv.includes('--json');
  const { cases, skipped } = runHotPathCases();
  const report: MicroReport =
    cases.length > 0 ? { available: true, cases } : { available: false, reason: skipped.join('; ') || 'no cases' };
  if (json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } else {
    for (const c of cases) process.stdout.write(`${c.name.padEnd(44)} ${formatSpread(c.rate).padStart(44)} ${c.unit}  (${c.note})\n`);
  }
  for (const s of skipped) process.stderr.write(`micro: skipped ${s}\n`);
}

main();
