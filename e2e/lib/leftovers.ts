// Finds processes and directories the tier left behind (anything naming one of its temp dirs).
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TEMP_PARENT, TEMP_PREFIX } from './paths.js';

export interface Leftover {
  readonly pid: number;
  readonly cmdline: string;
}

export async function leftoverProcesses(): Promise<Leftover[]> {
  const marker = join(TEMP_PARENT, TEMP_PREFIX);
  const found: Leftover[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    const text = cmdline.split('\0').join(' ').trim();
    if (text.includes(marker)) found.push({ pid: Number(entry), cmdline: text });
  }
  return found;
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
