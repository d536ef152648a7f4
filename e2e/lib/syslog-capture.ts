// Captures what a program sends to syslog: a python3 datagram listener bound to a private socket,
// which namespace-exec.sh bind-mounts over /dev/log inside the program's own mount namespace.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { LineLog, signalChild as signalGroup, track } from '@sinkhole/test-kit';
import { PYTHON_BIN, SYSLOG_LISTENER_SCRIPT } from './paths.js';

const START_TIMEOUT_MS = 10_000;

export class SyslogCapture {
  readonly socketPath: string;
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #log: LineLog;

  private constructor(socketPath: string, child: ChildProcessWithoutNullStreams, log: LineLog) {
    this.socketPath = socketPath;
    this.#child = child;
    this.#log = log;
  }

  static async start(socketPath: string): Promise<SyslogCapture> {
    const child = spawn(PYTHON_BIN, [SYSLOG_LISTENER_SCRIPT, socketPath], {
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    track(child);
    const log = new LineLog(child.stdout);
    const errors = new LineLog(child.stderr);
    try {
      await log.waitFor((l) => l === 'ready', START_TIMEOUT_MS, `syslog listener on ${socketPath}`);
    } catch (error) {
      signalGroup(child, 'SIGKILL');
      throw new Error(`${String(error)}\nlistener stderr:\n${errors.lines.join('\n')}`);
    }
    return new SyslogCapture(socketPath, child, log);
  }

  /** Every syslog line received so far (the "ready" marker excluded). */
  get lines(): readonly string[] {
    return this.#log.lines.slice(1);
  }

  async waitFor(predicate: (line: string) => boolean, timeoutMs: number, what: string): Promise<string> {
    return this.#log.waitFor((l) => l !== 'ready' && predicate(l), timeoutMs, `syslog: ${what}`);
  }

  async stop(): Promise<void> {
    const child = this.#child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    signalGroup(child, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 3_000);
    await exited;
    clearTimeout(timer);
  }
}
