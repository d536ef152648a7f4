import { spawnSync } from 'node:child_process';

/**
 * Which cores the server and the client run on. With taskset and at least two CPUs in this
 * process's affinity mask, the server gets the first and the client the second, so they
 * never compete for a core; otherwise both run unpinned and the report says so.
 */
export interface Pinning {
  readonly serverCpu: number | null;
  readonly clientCpu: number | null;
  readonly note: string;
}

export function detectPinning(): Pinning {
  const probe = spawnSync('taskset', ['-pc', String(process.pid)], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) {
    return { serverCpu: null, clientCpu: null, note: 'taskset unavailable: server and client unpinned' };
  }
  const cpus = parseCpuList(probe.stdout.slice(probe.stdout.lastIndexOf(':') + 1));
  if (cpus.length < 2) {
    return { serverCpu: null, clientCpu: null, note: `only ${cpus.length} CPU in the affinity mask: unpinned` };
  }
  const [serverCpu, clientCpu] = cpus as [number, number];
  return { serverCpu, clientCpu, note: `server on CPU ${serverCpu}, load client on CPU ${clientCpu} (taskset)` };
}

/** Parses a Linux CPU list such as "0-3,6,8-9". */
export function parseCpuList(text: string): number[] {
  const cpus: number[] = [];
  for (const part of text.trim().split(',')) {
    if (part === '') continue;
    const [lo, hi] = part.split('-').map((n) => Number.parseInt(n, 10));
    if (lo === undefined || !Number.isFinite(lo)) continue;
    const top = hi !== undefined && Number.isFinite(hi) ? hi : lo;
    for (let c = lo; c <= top; c++) cpus.push(c);
  }
  return cpus;
}

/** Prefix that runs a command on one CPU, or nothing when unpinned. */
export function pinPrefix(cpu: number | null): string[] {
  return cpu === null ? [] : ['taskset', '-c', String(cpu)];
}
