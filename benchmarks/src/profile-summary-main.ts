import { readFileSync } from 'node:fs';
import { summariseProfile, type CpuProfile } from './profile/cpu-profile.js';

/** Entry: node dist/profile-summary.mjs file.cpuprofile [--top N]: top functions by self and inclusive time. */
const USAGE = 'usage: node dist/profile-summary.mjs <file.cpuprofile>... [--top N]\n';
const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt === -1 ? 25 : Number(args[topAt + 1]);
const files = args.filter((a, i) => a !== '--top' && (topAt === -1 || i !== topAt + 1));
if (files.length === 0 || !Number.isInteger(top) || top < 1) {
  process.stderr.write(files.length === 0 ? USAGE : `--top must be a whole number of at least 1\n${USAGE}`);
  process.exit(2);
}
// Piped into head: a reader that stops early is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});
for (const file of files) {
  const { totalMs, functions } = summariseProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
  const pct = (x: number): string => `${(x * 100).toFixed(1).padStart(5)}%`;
  process.stdout.write(`${file}: ${totalMs.toFixed(0)} ms sampled\n\nby self time:\n`);
  for (const f of [...functions].sort((a, b) => b.selfMs - a.selfMs).slice(0, top)) {
    process.stdout.write(`  ${pct(f.selfShare)} ${f.selfMs.toFixed(0).padStart(7)} ms  ${f.name}  ${f.location}\n`);
  }
  process.stdout.write('\nby inclusive time:\n');
  for (const f of [...functions].sort((a, b) => b.totalMs - a.totalMs).slice(0, top)) {
    process.stdout.write(`  ${pct(f.totalShare)} ${f.totalMs.toFixed(0).padStart(7)} ms  ${f.name}  ${f.location}\n`);
  }
  process.stdout.write('\n');
}
