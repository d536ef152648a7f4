import { readFileSync } from 'node:fs';

/**
 * Reads a process's memory and CPU counters from Linux /proc. Every reader returns null
 * when /proc is missing or the process is gone, so callers report "n/a" instead of failing.
 */

/** Clock ticks per second for /proc/<pid>/stat (sysconf(_SC_CLK_TCK)); 100 on every Linux we target. */
const CLK_TCK = 100;

export interface MemoryStatus {
  /** Peak resident set size (VmHWM), bytes. */
  readonly peakRssBytes: number;
  /** Current resident set size (VmRSS), bytes. */
  readonly rssBytes: number;
}

export function readMemory(pid: number): MemoryStatus | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'latin1');
  } catch {
    return null;
  }
  const hwm = kilobytes(text, 'VmHWM:');
  const rss = kilobytes(text, 'VmRSS:');
  if (hwm === null || rss === null) return null;
  return { peakRssBytes: hwm * 1024, rssBytes: rss * 1024 };
}

/** User + system CPU time of the process (all threads), milliseconds. */
export function readCpuMs(pid: number): number | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return null;
  }
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
 * milliseconds. Compared with the server's and client's own CPU it shows how much other
 * load shared the machine during a measurement.
 */
export function readSystemBusyMs(): number | null {
  let text: string;
  try {
    text = readFileSync('/proc/stat', 'latin1');
  } catch {
    return null;
  }
  const line = text.slice(0, text.indexOf('\n'));
  if (!line.startsWith('cpu ')) return null;
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal
  const busy = (f[0] ?? 0) + (f[1] ?? 0) + (f[2] ?? 0) + (f[5] ?? 0) + (f[6] ?? 0) + (f[7] ?? 0);
  return Number.isFinite(busy) ? (busy * 1000) / CLK_TCK : null;
}

function kilobytes(status: string, key: string): number | null {
  const at = status.indexOf(key);
  if (at === -1) return null;
  const value = Number.parseInt(status.slice(at + key.length).trimStart(), 10);
  return Number.isFinite(value) ? value : null;
}
