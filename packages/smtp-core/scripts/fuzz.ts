// Runs the session fuzz target for as long as asked and reports cases per second.
//   pnpm fuzz [--seconds 60] [--seed N]
import fc from 'fast-check';
import { parseArgs } from 'node:util';
import { checkSession, cutsArbitrary, policyArbitrary, streamArbitrary } from '../test/fuzz/session-fuzz.js';

// pnpm passes a literal `--` through to the script.
const { values } = parseArgs({ args: process.argv.slice(2).filter((arg) => arg !== '--'), options: { seconds: { type: 'string', default: '60' }, seed: { type: 'string' }, help: { type: 'boolean' } } });
if (values.help === true) {
  process.stdout.write('usage: pnpm fuzz [--seconds N] [--seed N]\n  Fuzzes the SMTP session engine with arbitrary byte streams and chunkings until the time is up.\n');
  process.exit(0);
}
const seconds = Number(values.seconds);
if (!Number.isFinite(seconds) || seconds <= 0) {
  process.stderr.write(`--seconds must be a positive number, got ${values.seconds}\n`);
  process.exit(2);
}
const deadline = Date.now() + seconds * 1000;
let seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
let cases = 0;
const started = Date.now();
while (Date.now() < deadline) {
  const result = fc.check(fc.property(streamArbitrary, cutsArbitrary, policyArbitrary, checkSession), { numRuns: 1000, seed });
  cases += result.numRuns;
  if (result.failed) {
    process.stdout.write(`${fc.defaultReportMessage(result) ?? 'failed'}\nreproduce with: pnpm fuzz --seed ${seed}\n`);
    process.exit(1);
  }
  seed = (seed + 1) % 2 ** 31;
}
const elapsed = (Date.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ cases, seconds: Number(elapsed.toFixed(1)), casesPerSecond: Math.round(cases / elapsed), failures: 0 })}\n`);
