import { spawn, type ChildProcess } from 'node:child_process';
import { dirname } from 'node:path';
import { testBundle } from './bundle.js';

export interface LogLine {
  readonly time: string;
  readonly level: string;
  readonly msg: string;
  readonly [field: string]: unknown;
}

const running = new Set<ChildProcess>();
const START_TIMEOUT_MS = 10_000;

/** The built sinkhole as a child process, with its stdout parsed as JSON lines. */
export class SinkholeProcess {
  readonly child: ChildProcess;
  readonly lines: LogLine[] = [];
  readonly rawStdout: string[] = [];
  stderr = '';
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>;
  #waiters = new Set<() => void>();

  private constructor(child: ChildProcess) {
    this.child = child;
    let partial = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      partial += chunk;
      let index: number;
      while ((index = partial.indexOf('\n')) !== -1) {
        const line = partial.slice(0, index);
        partial = partial.slice(index + 1);
        this.rawStdout.push(line);
        try {
          this.lines.push(JSON.parse(line) as LogLine);
        } catch {
          // not JSON (--help output): only in rawStdout
        }
      }
      for (const wake of this.#waiters) wake();
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        running.delete(child);
        for (const wake of this.#waiters) wake();
        resolve({ code, signal });
      });
    });
  }

  /** Spawns the bundle (built from source for this test file) with args and extra env, in the bundle's directory. */
  static async spawn(args: readonly string[], env: Readonly<Record<string, string>> = {}, cwd?: string): Promise<SinkholeProcess> {
    const bundle = await testBundle();
    const { SINKHOLE_MODE: _m, SINKHOLE_ENVIRONMENT: _e, ...baseEnv } = process.env;
    const child = spawn(process.execPath, [bundle, ...args], {
      env: { ...baseEnv, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Next to the bundle, under the OS temp dir: no node_modules anywhere above it.
      cwd: cwd ?? dirname(bundle),
    });
    running.add(child);
    return new SinkholeProcess(child);
  }

  /** Spawns and waits for the "listening" line; returns the process and its port. */
  static async start(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<SinkholeProcess> {
    const proc = await SinkholeProcess.spawn(args, env);
    await proc.waitForLine((l) => l.msg === 'listening', START_TIMEOUT_MS);
    return proc;
  }

  get port(): number {
    const listening = this.lines.find((l) => l.msg === 'listening');
    if (listening === undefined || typeof listening['port'] !== 'number') throw new Error('no listening line yet');
    return listening['port'];
  }

  /** Resolves with the first line (already seen or to come) that matches. */
  async waitForLine(match: (line: LogLine) => boolean, timeoutMs = 5_000, from = 0): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.slice(from).find(match);
      if (found !== undefined) return found;
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`sinkhole exited (${String(this.child.exitCode ?? this.child.signalCode)}) before the expected line\n${this.transcript()}`);
      }
      if (Date.now() >= deadline) throw new Error(`timed out waiting for a log line\n${this.transcript()}`);
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.#waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, Math.max(1, deadline - Date.now()));
        this.#waiters.add(wake);
      });
    }
  }

  /** Lines with this msg so far. */
  linesWith(msg: string): LogLine[] {
    return this.lines.filter((l) => l.msg === msg);
  }

  transcript(): string {
    return `stdout:\n${this.rawStdout.join('\n')}\nstderr:\n${this.stderr}`;
  }

  signal(signal: NodeJS.Signals): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }

  /** SIGTERM, then SIGKILL if it takes longer than waitMs. */
  async stop(waitMs = 5_000): Promise<void> {
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), waitMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** For afterAll: no child outlives its test file. */
export async function killAllSinkholes(): Promise<void> {
  const children = [...running];
  for (const child of children) child.kill('SIGKILL');
  await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve)))));
}
