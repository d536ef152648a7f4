import { execFileSync } from 'node:child_process';
import { nofileLimits } from '@sinkhole/test-kit';

/**
 * Makes sure this process may open `needed` descriptors (Node already raised its soft limit to
 * the hard one at start-up). If the hard limit is lower and we are root, raises both with
 * prlimit(1) (what `bash -c 'ulimit -n N; exec ...'` would do for a child, done once for this
 * process: the server children inherit it); otherwise throws, saying what to do.
 */
export function ensureNofile(needed: number): { readonly before: number; readonly after: number } {
  const before = nofileLimits('self').soft;
  if (before >= needed) return { before, after: before };
  if (process.getuid?.() !== 0) {
    throw new Error(`RLIMIT_NOFILE is ${before}; these tests need ${needed}: run \`ulimit -n ${needed}\` (as root: raise the hard limit) first`);
  }
  try {
    execFileSync('prlimit', ['--pid', String(process.pid), `--nofile=${needed}:${needed}`], { stdio: 'pipe' });
  } catch (error) {
    const detail = (error as { stderr?: Buffer }).stderr?.toString().trim() ?? String(error);
    throw new Error(`RLIMIT_NOFILE is ${before}; these tests need ${needed} and prlimit could not raise it (${detail}): run them where \`ulimit -n ${needed}\` works (root with CAP_SYS_RESOURCE)`);
  }
  const after = nofileLimits('self').soft;
  if (after < needed) throw new Error(`prlimit could not raise RLIMIT_NOFILE to ${needed} (now ${after})`);
  return { before, after };
}
