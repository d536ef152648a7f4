import { spawn, type ChildProcess } from 'node:child_process';
import { dirname } from 'node:path';
import { testBundle } from '../../support/bundle.js';
import type { LogLine } from '../../support/sinkhole-process.js';

export interface ServerSpawnOptions {
  /** Flags for the bundle (after the script path). */
  readonly args: readonly string[];
  /** Extra environment (SINKHOLE_MODE and SINKHOLE_ENVIRONMENT from the test's own env are dropped). */
  readonly env?: Readonly<Record<string, string>>;
  /** node flags before the script, e.g. the Dockerfile ENTRYPOINT's --max-semi-space-size=2. */
  readonly nodeFlags?: readonly string[];
  /** Run as this uid/gid (root only): lets a root test make a file unreadable to the server. */
  readonly user?: { readonly uid: number; readonly gid: number };
}

const running = new Set<ChildProcess>();
/** Kept whatever the filter says: start-up, shutdown, mode and problem lines. */
const ALWAYS_KEPT = new Set(['listening', 'shutting-down', 'stopped', 'forced-exit', 'start-failed', 'mode-changed', 'mode-provider-error', 'mode-provider-recovered', 'hook-error', 'hook-timeout', 'log-lines-dropped']);
const START_TIMEOUT_MS = 15_000;

/**
 * The bundle (built from the current sources by the sinkhole-server tests' testBundle()) as a
 * child process, like test/support/sinkhole-process.ts, plus what the hardening tests need:
 * node flags, another user, and the pid for /proc readings. (It inherits this process's
 * RLIMIT_NOFILE, which fd-limit.ts raises when 10,000 sockets need it.)
 * Lines are kept only as parsed JSON, and a filter can drop the per-connection ones (a flood
 * logs hundreds of thousands); every line is counted by its msg.
 */
export class ServerProcess {
  readonly child: ChildProcess;
  readonly lines: LogLine[] = [];
  /** How many lines of each msg were logged, kept or not. */
  readonly counts = new Map<string, number>();
  stderr = '';
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>;
  #waiters = new Set<() => void>();
  #keep: (line: LogLine) => boolean;

  private constructor(child: ChildProcess, keep: (line: LogLine) => boolean) {
    this.child = child;
    this.#keep = keep;
    let partial = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      partial += chunk;
      let index: number;
      while ((index = partial.indexOf('\n')) !== -1) {
        const text = partial.slice(0, index);
        partial = partial.slice(index + 1);
        try {
          const line = JSON.parse(text) as LogLine;
          this.counts.set(line.msg, (this.counts.get(line.msg) ?? 0) + 1);
          if (ALWAYS_KEPT.has(line.msg) || this.#keep(line)) this.lines.push(line);
        } catch {
          this.stderr += `[stdout, not JSON] ${text}\n`;
        }
      }
      for (const wake of this.#waiters) wake();
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      if (this.stderr.length < 64 * 1024) this.stderr += chunk;
    });
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        running.delete(child);
        for (const wake of this.#waiters) wake();
        resolve({ code, signal });
      });
    });
  }

  /** Spawns the bundle and waits for its "listening" line. */
  static async start(options: ServerSpawnOptions, keep: (line: LogLine) => boolean = () => true): Promise<ServerProcess> {
    const bundle = await testBundle();
    const { SINKHOLE_MODE: _m, SINKHOLE_ENVIRONMENT: _e, ...baseEnv } = process.env;
    const child = spawn(process.execPath, [...(options.nodeFlags ?? []), bundle, ...options.args], {
      env: { ...baseEnv, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: dirname(bundle),
      ...(options.user === undefined ? {} : { uid: options.user.uid, gid: options.user.gid }),
    });
    running.add(child);
    const proc = new ServerProcess(child, keep);
    await proc.waitForLine((l) => l.msg === 'listening', START_TIMEOUT_MS);
    return proc;
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error('no pid');
    return this.child.pid;
  }

  get port(): number {
    const listening = this.lines.find((l) => l.msg === 'listening');
    if (listening === undefined || typeof listening['port'] !== 'number') throw new Error('no listening line yet');
    return listening['port'];
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  count(msg: string): number {
    return this.counts.get(msg) ?? 0;
  }

  linesWith(msg: string): LogLine[] {
    return this.lines.filter((l) => l.msg === msg);
  }

  /** Resolves with the first matching line from index `from` on (seen or to come). */
  async waitForLine(match: (line: LogLine) => boolean, timeoutMs = 5_000, from = 0): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.slice(from).find(match);
      if (found !== undefined) return found;
      if (!this.alive) throw new Error(`sinkhole exited (${String(this.child.exitCode ?? this.child.signalCode)}) before the expected line\n${this.stderr}`);
      if (Date.now() >= deadline) throw new Error(`timed out waiting for a log line; last lines:\n${this.lines.slice(-5).map((l) => JSON.stringify(l)).join('\n')}\n${this.stderr}`);
      await this.#nextOutput(deadline);
    }
  }

  /** Waits until at least `count` lines with this msg were logged; returns the kept ones. */
  async waitForCount(msg: string, count: number, timeoutMs = 5_000): Promise<LogLine[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.count(msg) >= count) return this.linesWith(msg);
      if (!this.alive) throw new Error(`sinkhole exited with ${this.count(msg)} of ${count} "${msg}" lines\n${this.stderr}`);
      if (Date.now() >= deadline) throw new Error(`timed out waiting for ${count} "${msg}" lines (have ${this.count(msg)})`);
      await this.#nextOutput(deadline);
    }
  }

  #nextOutput(deadline: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, Math.max(1, deadline - Date.now()));
      this.#waiters.add(wake);
    });
  }

  signal(signal: NodeJS.Signals): void {
    if (this.alive) this.child.kill(signal);
  }

  /** SIGTERM, then SIGKILL after waitMs. */
  async stop(waitMs = 5_000): Promise<void> {
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), waitMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** For afterAll: no server outlives its test file. */
export async function killAllServers(): Promise<void> {
  const children = [...running];
  for (const child of children) child.kill('SIGKILL');
  await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve)))));
}
