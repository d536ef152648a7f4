// The e2e tier's sinkhole: the built bundle on 127.0.0.1 with a file mode source that tests flip,
// started through the test kit's SinkholeProcess as its own process group.
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SinkholeProcess } from '@sinkhole/test-kit';
import { vi } from 'vitest';
import { SINKHOLE_BIN } from './paths.js';
import { isAccepted, isConnection, type SinkholeEvent } from './sinkhole-log.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';

export interface SinkholeOptions {
  readonly mode: string;
  /** Extra CLI flags, e.g. ['--greylist-min-delay', '0s']. */
  readonly extraArgs?: readonly string[];
  /** Leave --cache-ttl at the server's default (the file source's: a stat per connection). */
  readonly defaultCacheTtl?: boolean;
  /** Serve the HTTP surface on 127.0.0.1 (for GET /attempts). */
  readonly http?: boolean;
}

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

export class Sinkhole {
  readonly #process: SinkholeProcess;
  readonly #dir: string;
  readonly #modeFile: string;

  private constructor(process: SinkholeProcess, dir: string) {
    this.#process = process;
    this.#dir = dir;
    this.#modeFile = join(dir, 'mode');
  }

  static async start(options: SinkholeOptions): Promise<Sinkhole> {
    const dir = await makeTempDir('sinkhole');
    const modeFile = join(dir, 'mode');
    await writeFile(modeFile, `${options.mode}\n`);
    try {
      const process = await SinkholeProcess.start({
        bundle: SINKHOLE_BIN,
        cwd: dir,
        processGroup: true,
        startTimeoutMs: START_TIMEOUT_MS,
        args: [
          '--host', '127.0.0.1',
          '--port', '0',
          '--mode-source', 'file',
          '--mode-file', modeFile,
          ...(options.defaultCacheTtl === true ? [] : ['--cache-ttl', '0s']),
          ...(options.http === true ? ['--http', '127.0.0.1:0'] : []),
          '--hostname', 'sinkhole.test',
          // SIGTERM waits for sessions in DATA; stop() must not wait long.
          '--shutdown-grace', '2s',
          ...(options.extraArgs ?? []),
        ],
      });
      return new Sinkhole(process, dir);
    } catch (error) {
      await removeTempDir(dir);
      throw error;
    }
  }

  get port(): number {
    return this.#process.port;
  }

  /** Flips the mode the next connection sees (written atomically: the server never reads half a file). */
  async setMode(mode: string): Promise<void> {
    const tmp = `${this.#modeFile}.tmp`;
    await writeFile(tmp, `${mode}\n`);
    await rename(tmp, this.#modeFile);
  }

  /** Writes the mode file in place, as `echo MODE > file` does (truncate, then write). */
  async writeModeInPlace(mode: string): Promise<void> {
    await writeFile(this.#modeFile, `${mode}\n`);
  }

  /** GET /attempts?key=KEY from the HTTP surface (start with http: true): the ledger entry, or undefined. */
  async attempts(key: string): Promise<{ readonly attempts: number; readonly history: readonly { readonly attempt: number; readonly outcome: { readonly code: number } }[] } | undefined> {
    const line = await this.#process.waitForLine((l) => l.msg === 'http-listening', 5_000);
    const response = await fetch(`http://127.0.0.1:${String(line['port'])}/attempts?key=${encodeURIComponent(key)}`);
    if (response.status !== 200) throw new Error(`GET /attempts: HTTP ${response.status}: ${await response.text()}`);
    const body = (await response.json()) as { entries: { attempts: number; history: { attempt: number; outcome: { code: number } }[] }[] };
    return body.entries[0];
  }

  events(): readonly SinkholeEvent[] {
    return this.#process.lines;
  }

  accepted(): SinkholeEvent[] {
    return this.events().filter(isAccepted);
  }

  connections(): SinkholeEvent[] {
    return this.events().filter(isConnection);
  }

  async waitForEvent(predicate: (e: SinkholeEvent) => boolean, timeoutMs: number, what = 'a matching line'): Promise<SinkholeEvent> {
    return this.#process.waitForLine(predicate, timeoutMs).catch((error: unknown) => {
      throw new Error(`sinkhole log, waiting for ${what}: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  /** Waits until the sinkhole has logged `count` connection lines in total. */
  async waitForConnections(count: number, timeoutMs: number): Promise<SinkholeEvent[]> {
    await vi.waitFor(
      () => {
        const have = this.connections().length;
        if (have < count) throw new Error(`expected ${count} connection lines, have ${have}:\n${this.transcript()}`);
      },
      { timeout: timeoutMs, interval: 25 },
    );
    return this.connections();
  }

  /** Everything the sinkhole printed, for failure messages. */
  transcript(): string {
    return this.#process.transcript();
  }

  async stop(): Promise<void> {
    await this.#process.stop(STOP_TIMEOUT_MS);
    await removeTempDir(this.#dir);
  }
}
