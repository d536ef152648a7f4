// A real Prometheus server (Debian's package) on 127.0.0.1, with a temp config and storage dir,
// scraping the given targets every second; stopped and removed by stop().
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, LineLog, signalChild as signalGroup, track } from '@sinkhole/test-kit';
import { PROMETHEUS_BIN } from './paths.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';

export interface ScrapeTarget {
  readonly job: string;
  readonly address: string;
  readonly token?: string;
}

interface QueryAnswer {
  readonly status: string;
  readonly data?: { readonly resultType: string; readonly result: readonly { readonly metric: Record<string, string>; readonly value: [number, string] }[] };
  readonly error?: string;
}

const READY_TIMEOUT_MS = 30_000;

export class PrometheusServer {
  readonly port: number;
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #dir: string;
  readonly #stderr: LineLog;

  private constructor(child: ChildProcessWithoutNullStreams, dir: string, port: number, stderr: LineLog) {
    this.#child = child;
    this.#dir = dir;
    this.port = port;
    this.#stderr = stderr;
  }

  static async start(targets: readonly ScrapeTarget[]): Promise<PrometheusServer> {
    const dir = await makeTempDir('prometheus');
    const jobs = await Promise.all(
      targets.map(async (t, i) => {
        const auth = t.token === undefined ? '' : `    authorization:\n      type: Bearer\n      credentials_file: ${join(dir, `token-${i}`)}\n`;
        if (t.token !== undefined) await writeFile(join(dir, `token-${i}`), t.token, { mode: 0o600 });
        return `  - job_name: ${t.job}\n    scrape_interval: 1s\n    scrape_timeout: 1s\n${auth}    static_configs:\n      - targets: ['${t.address}']\n`;
      }),
    );
    const config = join(dir, 'prometheus.yml');
    await writeFile(config, `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n${jobs.join('')}`);
    const port = await freePort();
    const child = spawn(
      PROMETHEUS_BIN,
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--storage.tsdb.retention.time=1h',
        '--log.level=warn',
      ],
      { detached: true, stdio: ['pipe', 'pipe', 'pipe'], cwd: dir },
    );
    track(child);
    child.stdin.end();
    const stderr = new LineLog(child.stderr);
    new LineLog(child.stdout);
    const server = new PrometheusServer(child, dir, port, stderr);
    try {
      await server.#waitReady();
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  /** An instant PromQL query through the HTTP API. */
  async query(promql: string): Promise<NonNullable<QueryAnswer['data']>['result']> {
    const response = await fetch(`http://127.0.0.1:${this.port}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const answer = (await response.json()) as QueryAnswer;
    if (answer.status !== 'success' || answer.data === undefined) throw new Error(`query ${promql} failed: ${answer.error ?? response.status}`);
    return answer.data.result;
  }

  /** The query's single value (0 when it has no result), once `done` holds for it or the time is up. */
  async waitForValue(promql: string, done: (value: number) => boolean, timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let last = Number.NaN;
    for (;;) {
      const result = await this.query(promql);
      last = result.length === 0 ? 0 : Number(result[0]?.value[1]);
      if (done(last)) return last;
      if (Date.now() > deadline) throw new Error(`${promql} is still ${last} after ${timeoutMs} ms\nprometheus stderr:\n${this.#stderr.lines.join('\n')}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** The scrape health of every target, as Prometheus sees it. */
  async targets(): Promise<{ readonly health: string; readonly lastError: string; readonly scrapeUrl: string }[]> {
    const response = await fetch(`http://127.0.0.1:${this.port}/api/v1/targets`);
    const body = (await response.json()) as { data: { activeTargets: { health: string; lastError: string; scrapeUrl: string }[] } };
    return body.data.activeTargets;
  }

  async stop(): Promise<void> {
    const child = this.#child;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      signalGroup(child, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await removeTempDir(this.#dir);
  }

  async #waitReady(): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (this.#child.exitCode !== null) throw new Error(`prometheus exited (${this.#child.exitCode}):\n${this.#stderr.lines.join('\n')}`);
      const ready = await fetch(`http://127.0.0.1:${this.port}/-/ready`).then((r) => r.ok, () => false);
      if (ready) return;
      if (Date.now() > deadline) throw new Error(`prometheus not ready after ${READY_TIMEOUT_MS} ms:\n${this.#stderr.lines.join('\n')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
