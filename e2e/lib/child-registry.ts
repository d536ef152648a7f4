// Tracks every process group the tier starts, so that nothing outlives the test run.
import type { ChildProcess } from 'node:child_process';

const live = new Set<ChildProcess>();

export function track(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
}

/** Sends `signal` to the child's whole process group (children are started detached). */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

export function liveChildren(): readonly ChildProcess[] {
  return [...live];
}

/** Last resort (afterAll, process exit): SIGKILL every group still tracked. */
export function killAllTracked(): void {
  for (const child of live) signalGroup(child, 'SIGKILL');
}

process.once('exit', killAllTracked);
