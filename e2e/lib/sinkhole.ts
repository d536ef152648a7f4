// Starts the built sinkhole bundle on 127.0.0.1 with a file mode source, and reads its JSON log.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { signalGroup, track } from './child-registry.js';
import { LineLog } from './line-log.js';
import { SINKHOLE_BIN } from './paths.js';
import { isAccepted, isConnection, parseSinkholeLine, type SinkholeEvent } from './sinkhole-log.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';

export interface SinkholeOptions {
  readonly mode: string;
  /** Extra CLI flags, e.g. ['--greylist-min-delay', '0s']. */
  readonly extraArgs?: readonly string[];
}

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

export class Sinkhole {
  readonly port: number;
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #stdout: LineLog;
  readonly #stderr: LineLog;
  readonly #dir: string;
  readonly #modeFile: string;

  private constructor(child: ChildProcessWithoutNullStreams, stdout: LineLog, stderr: LineLog, dir: string, port: number) {
    this.#child = child;
    this.#stdout = stdout;
    this.#stderr = stderr;
    this.#dir = dir;
    this.#modeFile = join(dir, 'mode');
    this.port = port;
  }

  static async start(options: SinkholeOptions): Promise<Sinkhole> {
    const dir = await makeTempDir('sinkhole');
    const modeFile = join(dir, 'mode');
    await writeFile(modeFile, `${options.mode}\n`);
    const args = [
      SINKHOLE_BIN,
      '--host', '127.0.0.1',
      '--port', '0',
      '--mode-source', 'file',
      '--mode-file', modeFile,
      '--cache-ttl', '0s',
      '--hostname', 'sinkhole.test',
      // SIGTERM waits for sessions in DATA; stop() must not wait long.
      '--shutdown-grace', '2s',
      ...(options.extraArgs ?? []),
    ];
    const child = spawn(process.execPath, args, { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    track(child);
    child.stdin.end();
    const stdout = new LineLog(child.stdout);
    const stderr = new LineLog(child.stderr);
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code, signal) =>
        reject(new Error(`sinkhole exited during start (code ${String(code)}, signal ${String(signal)})\n` +
          `stdout:\n${stdout.lines.join('\n')}\nstderr:\n${stderr.lines.join('\n')}`)),
      ),
    );
    exited.catch(() => undefined);
    try {
      const line = await Promise.race([
        stdout.waitFor((l) => parseSinkholeLine(l)?.msg === 'listening', START_TIMEOUT_MS, 'the sinkhole "listening" line'),
        exited,
      ]);
      const port = parseSinkholeLine(line)?.['port'];
      if (typeof port !== 'number' || port <= 0) throw new Error(`no port in the "listening" line: ${line}`);
      return new Sinkhole(child, stdout, stderr, dir, port);
    } catch (error) {
      signalGroup(child, 'SIGKILL');
      await removeTempDir(dir);
      throw error;
    }
  }

  /** Flips the mode the next connection sees (written atomically: the server never reads half a file). */
  async setMode(mode: string): Promise<void> {
    const tmp = `${this.#modeFile}.tmp`;
    await writeFile(tmp, `${mode}\n`);
    await rename(tmp, this.#modeFile);
  }

  events(): SinkholeEvent[] {
    return this.#stdout.lines.map(parseSinkholeLine).filter((e): e is SinkholeEvent => e !== undefined);
  }

  accepted(): SinkholeEvent[] {
    return this.events().filter(isAccepted);
  }

  connections(): SinkholeEvent[] {
    return this.events().filter(isConnection);
  }

  async waitForEvent(predicate: (e: SinkholeEvent) => boolean, timeoutMs: number, what: string): Promise<SinkholeEvent> {
    const line = await this.#stdout.waitFor((l) => {
      const e = parseSinkholeLine(l);
      return e !== undefined && predicate(e);
    }, timeoutMs, `sinkhole log: ${what}`);
    const event = parseSinkholeLine(line);
    if (event === undefined) throw new Error('unreachable: matched line is not an event');
    return event;
  }

  /** Waits until the sinkhole has logged `count` connection lines in total. */
  async waitForConnections(count: number, timeoutMs: number): Promise<SinkholeEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.connections().length < count) {
      if (Date.now() > deadline) {
        throw new Error(`expected ${count} connection lines, have ${this.connections().length}:\n${this.transcript()}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    return this.connections();
  }

  /** Everything the sinkhole printed, for failure messages. */
  transcript(): string {
    return `stdout:\n${this.#stdout.lines.join('\n')}\nstderr:\n${this.#stderr.lines.join('\n')}`;
  }

  async stop(): Promise<void> {
    const child = this.#child;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      signalGroup(child, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    await removeTempDir(this.#dir);
  }
}
