// Finds processes and directories the tier left behind. A process counts as ours when its command
// line or its working directory names one of the tier's temp dirs (sendmail rewrites its command
// line into a process title, but it works inside its queue directory).
import { readdir, readFile, readlink, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TEMP_PARENT, TEMP_PREFIX } from './paths.js';

export interface Leftover {
  readonly pid: number;
  readonly cmdline: string;
  readonly cwd: string;
}

async function describe(pid: number): Promise<Leftover & { pgid: number }> {
  const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0').join(' ').trim();
  const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => '');
  // /proc/<pid>/stat: "pid (comm) state ppid pgrp ..."; comm may hold spaces, so split after the last ')'.
  const statLine = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const pgid = Number(statLine.slice(statLine.lastIndexOf(')') + 2).split(' ')[2] ?? NaN);
  return { pid, cmdline, cwd, pgid };
}

async function allProcesses(): Promise<(Leftover & { pgid: number })[]> {
  const pids = (await readdir('/proc')).filter((e) => /^\d+$/.test(e)).map(Number).filter((p) => p !== process.pid);
  return Promise.all(pids.map(describe));
}

export async function leftoverProcesses(): Promise<Leftover[]> {
  const marker = join(TEMP_PARENT, TEMP_PREFIX);
  return (await allProcesses()).filter((p) => p.cmdline.includes(marker) || p.cwd.startsWith(marker));
}

/** Processes still in process group `pgid`. */
export async function processGroupMembers(pgid: number): Promise<Leftover[]> {
  return (await allProcesses()).filter((p) => p.pgid === pgid && p.cmdline !== '');
}

/** Temp dirs of this tier modified since `sinceMs`. */
export async function leftoverDirs(sinceMs: number): Promise<string[]> {
  const dirs: string[] = [];
  for (const entry of await readdir(TEMP_PARENT)) {
    if (!entry.startsWith(TEMP_PREFIX)) continue;
    const path = join(TEMP_PARENT, entry);
    const info = await stat(path).catch(() => undefined);
    if (info !== undefined && info.mtimeMs >= sinceMs - 1_000) dirs.push(path);
  }
  return dirs;
}
