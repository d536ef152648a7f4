import type { ChildProcess } from 'node:child_process';

/**
 * Every process the runner starts is registered here so that none outlives the run:
 * killAll() runs on normal exit, on SIGINT/SIGTERM and on an uncaught error.
 */
const children = new Set<ChildProcess>();
let installed = false;

export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  installHooks();
  return child;
}

export function killAll(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
}

function installHooks(): void {
  if (installed) return;
  installed = true;
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}
