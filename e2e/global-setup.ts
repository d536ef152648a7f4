// Runs once before the e2e files: the preflight gate, then a check that nothing was left running.
import { onCi } from '@sinkhole/test-kit';
import type { TestProject } from 'vitest/node';
import { leftoverDirs, leftoverProcesses } from './lib/leftovers.js';
import { preflight } from './lib/preflight.js';
import { removeTempDir } from './lib/temp-dir.js';
import type {} from './lib/provided-context.js';

const INSTALL_HINT = 'install with: sudo bash .ci/install-e2e-deps.sh';
let startedAt = Date.now();

export async function setup(project: TestProject): Promise<void> {
  startedAt = Date.now();
  const problems = await preflight();
  if (problems.length === 0) {
    project.provide('e2eSkipReason', '');
    return;
  }
  const what = problems.join('; ');
  if (onCi()) {
    throw new Error(`E2E TIER CANNOT RUN (CI=true, so this is a failure): ${what}; ${INSTALL_HINT}`);
  }
  const bar = '!'.repeat(100);
  console.warn(`\n${bar}\nE2E TIER SKIPPED: ${what}; ${INSTALL_HINT}\n${bar}\n`);
  project.provide('e2eSkipReason', what);
}

export async function teardown(): Promise<void> {
  const procs = await leftoverProcesses();
  for (const p of procs) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  const dirs = await leftoverDirs(startedAt);
  for (const d of dirs) await removeTempDir(d);
  if (procs.length > 0) {
    throw new Error(`the e2e tier left processes running (now killed):\n${procs.map((p) => `${p.pid} ${p.cmdline}`).join('\n')}`);
  }
  if (dirs.length > 0) console.warn(`e2e: removed leftover temp dirs: ${dirs.join(', ')}`);
}
