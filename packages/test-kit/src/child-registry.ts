// Every child process a test or script starts is tracked here, so that none outlives the run:
// tests kill what is left after each file (vitest-setup.ts), scripts on exit or on a signal.
import type { ChildProcess } from 'node:child_process';

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Registers a child; it leaves the registry when it exits. */
export function track<T extends ChildProcess>(child: T): T {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', killTrackedNow);
  }
  return child;
}

export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/**
 * Sends `signal` to the child's process group when it leads one (started with `detached`, so
 * its own children go too), otherwise to the child alone.
 */
export function signalChild(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || !isRunning(child)) return;
  try {
    process.kill(-child.pid, signal);
    return;
  } catch {
    // not a group leader: signal the child itself
  }
  try {
    child.kill(signal);
  } catch {
    // already gone
  }
}

export function trackedChildren(): readonly ChildProcess[] {
  return [...live];
}

/** SIGKILLs every tracked child now, without waiting (for process exit). */
export function killTrackedNow(): void {
  for (const child of live) signalChild(child, 'SIGKILL');
}

/** SIGKILLs every tracked child and resolves once all have exited. */
export async function killTracked(): Promise<void> {
  const children = [...live];
  const exits = children.map((child) =>
    isRunning(child) ? new Promise<void>((resolve) => child.once('exit', () => resolve())) : Promise.resolve(),
  );
  for (const child of children) signalChild(child, 'SIGKILL');
  await Promise.all(exits);
}

/** For scripts: SIGINT or SIGTERM kills every tracked child, then exits with status 130. */
export function killTrackedOnSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killTrackedNow();
      process.exit(130);
    });
  }
}
