import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { track } from '@sinkhole/test-kit';
import { DIST_DIR } from '../paths.js';
import { pinPrefix } from './cpu-pinning.js';

/**
 * Runs the load client (dist/load-client.mjs) as its own pinned process with --json and
 * returns its parsed output. Rejects on a non-zero exit, bad JSON or timeout.
 */
export function runLoadClientProcess(args: readonly string[], cpu: number | null, timeoutMs: number): Promise<unknown> {
  const script = 'ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"';
  const command = [...pinPrefix(cpu), process.execPath, join(DIST_DIR, 'load-client.mjs'), ...args, '--json'];
  return new Promise((resolve, reject) => {
    const child = track(spawn('/bin/sh', ['-c', script, 'sh', ...command], { stdio: ['ignore', 'pipe', 'pipe'] }));
    let out = '';
    let err = '';
    child.stdout?.setEncoding('utf8').on('data', (t: string) => (out += t));
    child.stderr?.setEncoding('utf8').on('data', (t: string) => (err = (err + t).slice(-4096)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`load client ${signal === 'SIGKILL' ? 'timed out' : `exit ${code}`}: ${err.trim().split('\n').slice(-3).join(' | ')}`));
        return;
      }
      try {
        resolve(JSON.parse(out) as unknown);
      } catch {
        reject(new Error(`load client printed no JSON: ${out.slice(0, 200)}`));
      }
    });
  });
}
