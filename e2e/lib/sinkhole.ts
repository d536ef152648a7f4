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
          '--cache-ttl', '0s',
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
