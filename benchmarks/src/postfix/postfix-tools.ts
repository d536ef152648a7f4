import { spawn } from 'node:child_process';
import { FETCH_POSTFIX } from '../paths.js';

export type PostfixTools =
  | { readonly available: true; readonly smtpSink: string; readonly smtpSource: string; readonly libraryPath: string }
  | { readonly available: false; readonly reason: string };

/**
 * Runs scripts/fetch-postfix.sh (apt-get download + dpkg -x into .cache/postfix, idempotent)
 * and reads the paths it prints. Any failure is a reason string, never an exception: the
 * benchmark carries on with the Node client and targets.
 */
export function fetchPostfixTools(timeoutMs: number): Promise<PostfixTools> {
  return new Promise((resolve) => {
    // Own process group, so a timeout also stops an apt-get the script started.
    const child = spawn('bash', [FETCH_POSTFIX], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (out += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (err += t));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      resolve({ available: false, reason: `cannot run ${FETCH_POSTFIX}: ${e.message}` });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const values = parseKeyValues(out);
      const smtpSink = values.get('smtp-sink');
      const smtpSource = values.get('smtp-source');
      const libraryPath = values.get('ld-library-path');
      if (code === 0 && smtpSink && smtpSource && libraryPath) {
        resolve({ available: true, smtpSink, smtpSource, libraryPath });
        return;
      }
      const why = timedOut || signal === 'SIGKILL' ? `timed out after ${timeoutMs} ms` : err.trim().split('\n').pop() || `exit ${code}`;
      resolve({ available: false, reason: why });
    });
  });
}

function parseKeyValues(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) map.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return map;
}
