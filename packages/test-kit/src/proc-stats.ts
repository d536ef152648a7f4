// Readers of a process's memory, CPU and descriptors from Linux /proc. The `read*` readers return
// null when /proc is missing or the process is gone (benchmarks report "n/a"); the others throw,
// naming the file, for tests that cannot go on without the figure.
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second for /proc/<pid>/stat (sysconf(_SC_CLK_TCK)); 100 on every Linux we target. */
const CLK_TCK = 100;
const MB = 1024 * 1024;

export type Pid = number | 'self';

export interface MemoryStatus {
  /** Peak resident set size (VmHWM), bytes. */
  readonly peakRssBytes: number;
  /** Current resident set size (VmRSS), bytes. */
  readonly rssBytes: number;
}

function readProc(path: string): string | null {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return null;
  }
}

function kilobytes(status: string, key: string): number | null {
  const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
  return match?.[1] === undefined ? null : Number(match[1]);
}

export function readMemory(pid: Pid): MemoryStatus | null {
  const status = readProc(`/proc/${pid}/status`);
  if (status === null) return null;
  const hwm = kilobytes(status, 'VmHWM');
  const rss = kilobytes(status, 'VmRSS');
  if (hwm === null || rss === null) return null;
  return { peakRssBytes: hwm * 1024, rssBytes: rss * 1024 };
}

/** Resident and peak resident memory in MB; throws when /proc/<pid>/status cannot be read. */
export function memoryMb(pid: Pid): { readonly rss: number; readonly hwm: number } {
  const memory = readMemory(pid);
  if (memory === null) throw new Error(`no VmRSS/VmHWM in /proc/${pid}/status (not Linux, or the process is gone)`);
  return { rss: memory.rssBytes / MB, hwm: memory.peakRssBytes / MB };
}

export function rssMb(pid: Pid): number {
  return memoryMb(pid).rss;
}

/** Open file descriptors of a process (sockets, pipes, files), from /proc/<pid>/fd. */
export function fdCount(pid: Pid): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** The soft and hard RLIMIT_NOFILE of a process, from /proc/<pid>/limits. */
export function nofileLimits(pid: Pid = 'self'): { readonly soft: number; readonly hard: number } {
  const line = readFileSync(`/proc/${pid}/limits`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  const match = line === undefined ? null : /Max open files\s+(\S+)\s+(\S+)/.exec(line);
  const parse = (v: string | undefined): number => (v === 'unlimited' ? Number.POSITIVE_INFINITY : Number(v));
  return { soft: parse(match?.[1]), hard: parse(match?.[2]) };
}

/** User + system CPU time of the process (all threads), milliseconds. */
export function readCpuMs(pid: Pid): number | null {
  const text = readProc(`/proc/${pid}/stat`);
  if (text === null) return null;
  // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime is field 14 and stime field 15.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return null;
  return ((utime + stime) * 1000) / CLK_TCK;
}

/**
 * CPU time the whole machine spent busy (user, nice, system, irq, softirq, steal; all CPUs),
 * milliseconds. Compared with a process's own CPU it shows how much other load shared the machine.
 */
export function readSystemBusyMs(): number | null {
  const text = readProc('/proc/stat');
  if (text === null) return null;
  const line = text.slice(0, text.indexOf('\n'));
  if (!line.startsWith('cpu ')) return null;
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal
  const busy = (f[0] ?? 0) + (f[1] ?? 0) + (f[2] ?? 0) + (f[5] ?? 0) + (f[6] ?? 0) + (f[7] ?? 0);
  return Number.isFinite(busy) ? (busy * 1000) / CLK_TCK : null;
}

/** Samples a process's RSS every `everyMs` until stopped; keeps the peak, in MB. */
export class RssSampler {
  readonly #pid: Pid;
  readonly #timer: NodeJS.Timeout;
  peak: number;

  constructor(pid: Pid, everyMs = 25) {
    this.#pid = pid;
    this.peak = rssMb(pid);
    this.#timer = setInterval(() => this.sample(), everyMs);
  }

  /** The RSS now (MB), or NaN once the process is gone (the caller reports that itself). */
  sample(): number {
    const memory = readMemory(this.#pid);
    if (memory === null) return Number.NaN;
    const rss = memory.rssBytes / MB;
    if (rss > this.peak) this.peak = rss;
    return rss;
  }

  stop(): number {
    clearInterval(this.#timer);
    this.sample();
    return this.peak;
  }
}
