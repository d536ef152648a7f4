import { spawn, type ChildProcess } from 'node:child_process';
import { dirname } from 'node:path';
import { isRunning, signalChild, track } from './child-registry.js';
import { readLines } from './line-stream.js';
import { SINKHOLE_BUNDLE } from './paths.js';

/** One line of the sinkhole's JSON log. */
export interface LogLine {
  readonly time: string;
  readonly level: string;
  readonly msg: string;
  readonly [field: string]: unknown;
}

export interface SinkholeOptions {
  /** Flags after the bundle path, e.g. ['--port', '0', '--mode-source', 'env']. */
  readonly args?: readonly string[];
  /** Extra environment. Every SINKHOLE_* variable of the test's own environment is dropped. */
  readonly env?: Readonly<Record<string, string>>;
  /** The node binary; default the one running this process. */
  readonly node?: string;
  /** node flags before the bundle, e.g. imageNodeFlags() (the Dockerfile ENTRYPOINT's). */
  readonly nodeFlags?: readonly string[];
  /** Run as this uid/gid (root only): lets a root test make a file unreadable to the server. */
  readonly user?: { readonly uid: number; readonly gid: number };
  /** The bundle to run; default packages/sinkhole-server/dist/sinkhole-server.mjs (`pnpm build`). */
  readonly bundle?: string | PromiseLike<string>;
  /** Working directory; default the bundle's directory. */
  readonly cwd?: string;
  /** Start it as the leader of its own process group; stop() and the registry signal the group. */
  readonly processGroup?: boolean;
  /**
   * Which parsed lines to keep in `lines` (start-up, shutdown, mode and problem lines are always
   * kept); every line is counted by its msg either way. With a filter the raw stdout is not kept
   * either: a flood logs hundreds of thousands of lines.
   */
  readonly keep?: (line: LogLine) => boolean;
  /** How long start() waits for the "listening" line; default 15 s. */
  readonly startTimeoutMs?: number;
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

const ALWAYS_KEPT = new Set([
  'listening', 'shutting-down', 'stopped', 'forced-exit', 'start-failed', 'mode-changed', 'mode-provider-error',
  'mode-provider-recovered', 'hook-error', 'hook-timeout', 'log-lines-dropped',
]);
const STDERR_LIMIT = 256 * 1024;
const DEFAULT_WAIT_MS = 5_000;

/**
 * The bundled sinkhole as a child process, with its stdout parsed as JSON lines and its port read
 * from the "listening" line. Registered with the child registry, so that it dies with its test file.
 */
export class SinkholeProcess {
  readonly child: ChildProcess;
  /** Parsed log lines kept (all of them unless `keep` filters). */
  readonly lines: LogLine[] = [];
  /** Every stdout line as printed (not kept when `keep` filters). */
  readonly rawStdout: string[] = [];
  /** Stdout lines that are not JSON log objects (--help output; a log bug otherwise). */
  readonly notJson: string[] = [];
  /** How many lines of each msg were logged, kept or not. */
  readonly counts = new Map<string, number>();
  stderr = '';
  readonly exited: Promise<Exit>;
  readonly #waiters = new Set<() => void>();

  private constructor(child: ChildProcess, keep: ((line: LogLine) => boolean) | undefined) {
    this.child = child;
    if (child.stdout !== null) readLines(child.stdout, (text) => this.#stdoutLine(text, keep), () => this.#wake());
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      if (this.stderr.length < STDERR_LIMIT) this.stderr += chunk;
      this.#wake();
    });
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.#wake();
        resolve({ code, signal });
      });
    });
  }

  /** Spawns the bundle without waiting for anything (for runs that exit by themselves: --help, check). */
  static async spawn(options: SinkholeOptions = {}): Promise<SinkholeProcess> {
    const bundle = await (options.bundle ?? SINKHOLE_BUNDLE);
    const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('SINKHOLE_')));
    const child = spawn(options.node ?? process.execPath, [...(options.nodeFlags ?? []), bundle, ...(options.args ?? [])], {
      env: { ...baseEnv, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: options.cwd ?? dirname(bundle),
      detached: options.processGroup === true,
      ...(options.user === undefined ? {} : { uid: options.user.uid, gid: options.user.gid }),
    });
    track(child);
    return new SinkholeProcess(child, options.keep);
  }

  /** Spawns the bundle and waits for its "listening" line; fails with its output if it exits first. */
  static async start(options: SinkholeOptions = {}): Promise<SinkholeProcess> {
    const proc = await SinkholeProcess.spawn(options);
    try {
      await proc.waitForLine((l) => l.msg === 'listening', options.startTimeoutMs ?? 15_000);
    } catch (error) {
      proc.signal('SIGKILL');
      throw error;
    }
    return proc;
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error('the sinkhole has no pid (spawn failed)');
    return this.child.pid;
  }

  get port(): number {
    const port = this.lines.find((l) => l.msg === 'listening')?.['port'];
    if (typeof port !== 'number' || port <= 0) throw new Error(`no port in a "listening" line yet\n${this.transcript()}`);
    return port;
  }

  get alive(): boolean {
    return isRunning(this.child);
  }

  count(msg: string): number {
    return this.counts.get(msg) ?? 0;
  }

  linesWith(msg: string): LogLine[] {
    return this.lines.filter((l) => l.msg === msg);
  }

  /** Resolves with the first kept line from index `from` on (seen or to come) that matches. */
  async waitForLine(match: (line: LogLine) => boolean, timeoutMs = DEFAULT_WAIT_MS, from = 0): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.slice(from).find(match);
      if (found !== undefined) return found;
      if (!this.alive) throw new Error(`the sinkhole exited (${String(this.child.exitCode ?? this.child.signalCode)}) before the expected line\n${this.transcript()}`);
      if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for a log line\n${this.transcript()}`);
      await this.#nextOutput(deadline);
    }
  }

  /** Waits until at least `count` lines with this msg were logged; returns the kept ones. */
  async waitForCount(msg: string, count: number, timeoutMs = DEFAULT_WAIT_MS): Promise<LogLine[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.count(msg) >= count) return this.linesWith(msg);
      if (!this.alive) throw new Error(`the sinkhole exited with ${this.count(msg)} of ${count} "${msg}" lines\n${this.transcript()}`);
      if (Date.now() >= deadline) throw new Error(`timed out waiting for ${count} "${msg}" lines (have ${this.count(msg)})\n${this.transcript()}`);
      await this.#nextOutput(deadline);
    }
  }

  /** What it printed, for failure messages (the last 50 stdout lines). */
  transcript(): string {
    const stdout = this.rawStdout.length > 0 ? this.rawStdout : [...this.lines.map((l) => JSON.stringify(l)), ...this.notJson];
    return `stdout:\n${stdout.slice(-50).join('\n')}\nstderr:\n${this.stderr}`;
  }

  signal(signal: NodeJS.Signals): void {
    signalChild(this.child, signal);
  }

  /** SIGTERM, then SIGKILL if it takes longer than waitMs; resolves with how it exited. */
  async stop(waitMs = 5_000): Promise<Exit> {
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), waitMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }

  #stdoutLine(text: string, keep: ((line: LogLine) => boolean) | undefined): void {
    if (keep === undefined) this.rawStdout.push(text);
    const line = parseLogLine(text);
    if (line === undefined) {
      this.notJson.push(text);
      return;
    }
    this.counts.set(line.msg, (this.counts.get(line.msg) ?? 0) + 1);
    if (keep === undefined || ALWAYS_KEPT.has(line.msg) || keep(line)) this.lines.push(line);
  }

  #wake(): void {
    for (const wake of this.#waiters) wake();
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
}

/** A log line, or undefined when the text is not a JSON object with a string `msg`. */
export function parseLogLine(text: string): LogLine | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && typeof (value as { msg?: unknown }).msg === 'string') return value as LogLine;
  } catch {
    // not JSON
  }
  return undefined;
}
