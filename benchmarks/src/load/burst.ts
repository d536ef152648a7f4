import { connect, type Socket } from 'node:net';

export interface BurstOptions {
  readonly host: string;
  readonly port: number;
  /** Connections opened at once (all connect() calls in one turn of the event loop). */
  readonly connections: number;
  /** Give up waiting for greetings this long after the first connect. */
  readonly waitMs: number;
}

export interface BurstResult {
  readonly connections: number;
  /** How long issuing every connect() took, ms (the client's own pace). */
  readonly issueMs: number;
  /** Greetings (a 220 line) received, and how many came within 1 s and 3 s of the first connect. */
  readonly greeted: number;
  readonly greetedWithin1s: number;
  readonly greetedWithin3s: number;
  /** Time from the first connect to the last greeting, ms (NaN when none came). */
  readonly lastGreetingMs: number;
  /** Greeting latency from the first connect: median and 99th percentile, ms. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Connections that ended without a greeting, by cause (ECONNRESET, ECONNREFUSED, code:421, closed, no-greeting). */
  readonly failures: Readonly<Record<string, number>>;
}

/** Opens and closes `count` connections, `batch` at a time, each after its greeting: JIT warm-up for the server's accept path. */
export async function warmUp(host: string, port: number, count: number, batch = 200): Promise<void> {
  for (let done = 0; done < count; done += batch) {
    const n = Math.min(batch, count - done);
    await Promise.all(
      Array.from({ length: n }, () =>
        new Promise<void>((resolve) => {
          const socket = connect({ host, port });
          const end = (): void => {
            socket.resetAndDestroy();
            resolve();
          };
          socket.once('data', end);
          socket.once('error', end);
          socket.once('close', end);
        }),
      ),
    );
  }
}

/**
 * Opens `connections` SMTP connections at once, as a burst of MTAs or a port scan does, and
 * times each one's 220 greeting from the moment of the first connect. Every connection is
 * held until all are greeted (or the wait ends), so the server has them all open together.
 */
export function runBurst(options: BurstOptions): Promise<BurstResult> {
  return new Promise((resolve) => {
    const sockets: Socket[] = [];
    const latencies: number[] = [];
    const failures = new Map<string, number>();
    let settled = 0;
    let finished = false;
    const started = process.hrtime.bigint();
    const elapsedMs = (): number => Number(process.hrtime.bigint() - started) / 1e6;

    const finish = (): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      const pending = options.connections - settled;
      if (pending > 0) failures.set('no-greeting', (failures.get('no-greeting') ?? 0) + pending);
      // A reset leaves no TIME_WAIT behind, so the next burst gets ephemeral ports as fast as this one.
      for (const socket of sockets) socket.resetAndDestroy();
      latencies.sort((a, b) => a - b);
      const at = (q: number): number => (latencies.length === 0 ? Number.NaN : (latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] as number));
      resolve({
        connections: options.connections,
        issueMs,
        greeted: latencies.length,
        greetedWithin1s: latencies.filter((ms) => ms <= 1000).length,
        greetedWithin3s: latencies.filter((ms) => ms <= 3000).length,
        lastGreetingMs: latencies.length === 0 ? Number.NaN : (latencies.at(-1) as number),
        p50Ms: at(0.5),
        p99Ms: at(0.99),
        failures: Object.fromEntries(failures),
      });
    };
    const timer = setTimeout(finish, options.waitMs);
    const settle = (failure: string | undefined): void => {
      settled++;
      if (failure === undefined) latencies.push(elapsedMs());
      else failures.set(failure, (failures.get(failure) ?? 0) + 1);
      if (settled === options.connections) finish();
    };

    for (let i = 0; i < options.connections; i++) {
      const socket = connect({ host: options.host, port: options.port });
      sockets.push(socket);
      let done = false;
      const end = (failure: string | undefined): void => {
        if (done || finished) return;
        done = true;
        settle(failure);
      };
      socket.once('data', (chunk: Buffer) => end(chunk.toString('latin1', 0, 4) === '220 ' || chunk.toString('latin1', 0, 4) === '220-' ? undefined : `code:${chunk.toString('latin1', 0, 3)}`));
      socket.on('error', (error: NodeJS.ErrnoException) => end(error.code ?? 'socket-error'));
      socket.on('close', () => end('closed'));
    }
    const issueMs = elapsedMs();
  });
}
