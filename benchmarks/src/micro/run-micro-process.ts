import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { track } from '@sinkhole/test-kit';
import { pinPrefix } from '../proc/cpu-pinning.js';
import type { MicroReport } from './micro-types.js';

/** Runs dist/micro.mjs --json in its own pinned process; any failure becomes "unavailable". */
export function runMicroProcess(file: string, cpu: number | null): Promise<MicroReport> {
  if (!existsSync(file)) return Promise.resolve({ available: false, reason: `${file} was not built (smtp-core sources did not bundle?)` });
  const command = [...pinPrefix(cpu), process.execPath, file, '--json'];
  return new Promise((resolve) => {
    const child = track(spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] }));
    let out = '';
    let err = '';
    child.stdout?.setEncoding('utf8').on('data', (t: string) => (out += t));
    child.stderr?.setEncoding('utf8').on('data', (t: string) => (err += t));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      resolve({ available: false, reason: e.message });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      try {
        if (code !== 0) throw new Error(`exit ${code}: ${err.trim().split('\n').slice(-2).join(' | ')}`);
        resolve(JSON.parse(out) as MicroReport);
      } catch (e) {
        resolve({ available: false, reason: (e as Error).message });
      }
    });
  });
}
