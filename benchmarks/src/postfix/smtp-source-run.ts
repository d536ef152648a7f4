import { spawn } from 'node:child_process';
import { readCpuMs, track } from '@sinkhole/test-kit';
import { pinPrefix } from '../proc/cpu-pinning.js';

export interface SmtpSourceOptions {
  readonly smtpSource: string;
  readonly libraryPath: string;
  readonly port: number;
  readonly concurrency: number;
  readonly messages: number;
  /** smtp-source's -l: payload bytes after its own few header lines. */
  readonly bodySize: number;
  readonly reuse: boolean;
  readonly cpu: number | null;
  readonly serverPid: number;
  readonly timeoutMs: number;
}

export interface SmtpSourceResult {
  readonly ok: boolean;
  readonly error: string | null;
  readonly messages: number;
  readonly elapsedMs: number;
  readonly messagesPerSec: number;
  readonly serverCpuMicrosPerMessage: number | null;
}

/**
 * Runs Postfix's smtp-source (lock-step, no pipelining; -d keeps each session's connection
 * for all its messages) for a fixed message count and times it from spawn to exit.
 * It exits non-zero on any unexpected reply, so a clean exit means every message got 250.
 */
export function runSmtpSource(o: SmtpSourceOptions): Promise<SmtpSourceResult> {
  const args = [
    ...(o.reuse ? ['-d'] : []),
    '-s', String(o.concurrency),
    '-m', String(o.messages),
    '-l', String(o.bodySize),
    '-M', 'client.test',
    '-f', 'bench@client.test',
    '-t', 'sink@server.test',
    `127.0.0.1:${o.port}`,
  ];
  const command = [...pinPrefix(o.cpu), o.smtpSource, ...args];
  return new Promise((resolve) => {
    const cpuStart = readCpuMs(o.serverPid);
    const started = process.hrtime.bigint();
    const child = track(
      spawn(command[0]!, command.slice(1), {
        env: { ...process.env, LD_LIBRARY_PATH: o.libraryPath },
        stdio: ['ignore', 'ignore', 'pipe'],
      }),
    );
    let err = '';
    child.stderr?.setEncoding('utf8').on('data', (t: string) => (err = (err + t).slice(-2048)));
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs);
    const finish = (error: string | null): void => {
      clearTimeout(timer);
      const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
      const cpuEnd = readCpuMs(o.serverPid);
      const cpu = cpuStart !== null && cpuEnd !== null ? cpuEnd - cpuStart : null;
      resolve({
        ok: error === null,
        error,
        messages: error === null ? o.messages : 0,
        elapsedMs,
        messagesPerSec: error === null ? (o.messages * 1000) / elapsedMs : 0,
        serverCpuMicrosPerMessage: error === null && cpu !== null ? (cpu * 1000) / o.messages : null,
      });
    };
    child.once('error', (e) => finish(`spawn: ${e.message}`));
    child.once('exit', (code, signal) => {
      if (code === 0) finish(null);
      else finish(signal === 'SIGKILL' ? `timed out after ${o.timeoutMs} ms` : `exit ${code}: ${err.trim().split('\n').pop() ?? ''}`);
    });
  });
}
