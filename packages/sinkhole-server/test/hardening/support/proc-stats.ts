import { readdirSync, readFileSync } from 'node:fs';

/** Resident and peak resident memory of a process, in MB, from /proc/<pid>/status (Linux). */
export function memoryMb(pid: number): { readonly rss: number; readonly hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    if (match?.[1] === undefined) throw new Error(`no ${field} in /proc/${pid}/status`);
    return Number(match[1]);
  };
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

export function rssMb(pid: number): number {
  return memoryMb(pid).rss;
}

/** Open file descriptors of a process (sockets, pipes, files), from /proc/<pid>/fd. */
export function fdCount(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** The soft and hard RLIMIT_NOFILE of a process, from /proc/<pid>/limits. */
export function nofileLimits(pid: number | 'self' = 'self'): { readonly soft: number; readonly hard: number } {
  const line = readFileSync(`/proc/${pid}/limits`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  const match = line === undefined ? null : /Max open files\s+(\S+)\s+(\S+)/.exec(line);
  const parse = (v: string | undefined): number => (v === 'unlimited' ? Number.POSITIVE_INFINITY : Number(v));
  return { soft: parse(match?.[1]), hard: parse(match?.[2]) };
}

/** Samples a process's RSS every `everyMs` until stopped; keeps the peak. */
export class RssSampler {
  readonly #pid: number;
  readonly #timer: NodeJS.Timeout;
  peak: number;

  constructor(pid: number, everyMs = 25) {
    this.#pid = pid;
    this.peak = rssMb(pid);
    this.#timer = setInterval(() => this.sample(), everyMs);
  }

  sample(): number {
    try {
      const rss = rssMb(this.#pid);
      if (rss > this.peak) this.peak = rss;
      return rss;
    } catch {
      return Number.NaN; // the process is gone; the test reports that itself
    }
  }

  stop(): number {
    clearInterval(this.#timer);
    this.sample();
    return this.peak;
  }
}
