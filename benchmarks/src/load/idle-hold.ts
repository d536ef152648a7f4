import { connect, type Socket } from 'node:net';
import { type MemoryStatus, readMemory } from '@sinkhole/test-kit';
import { ReplyReader } from './reply-reader.js';

export interface IdleOptions {
  readonly host: string;
  readonly port: number;
  /** Connections to open and hold. */
  readonly connections: number;
  /** Connects in flight at once (keeps the listen backlog from overflowing). */
  readonly connectConcurrency: number;
  /** How long to hold every connection open once all are up, before sampling memory. */
  readonly holdMs: number;
  /** Give up on establishing after this long. */
  readonly establishTimeoutMs: number;
  readonly serverPid?: number | undefined;
  readonly heloName: string;
}

export interface IdleResult {
  readonly options: IdleOptions;
  /** Connections that got their greeting and an EHLO reply. */
  readonly established: number;
  readonly establishMs: number;
  readonly connectionsPerSec: number;
  readonly errors: Readonly<Record<string, number>>;
  /** Server memory while all connections were held (null without /proc or serverPid). */
  readonly serverMemory: MemoryStatus | null;
}

/**
 * Opens `connections` SMTP sessions, each greeted and past EHLO, holds them idle, samples
 * the server's memory, then closes them all. Measures the per-connection memory cost.
 */
export function holdIdle(options: IdleOptions): Promise<IdleResult> {
  return new Promise((resolve) => {
    const sockets: Socket[] = [];
    const errors = new Map<string, number>();
    const bump = (key: string): void => void errors.set(key, (errors.get(key) ?? 0) + 1);
    const ehlo = Buffer.from(`EHLO ${options.heloName}\r\n`, 'latin1');
    const started = process.hrtime.bigint();
    let launched = 0;
    let inFlight = 0;
    let established = 0;
    let failed = 0;
    let finished = false;

    const giveUp = setTimeout(() => finish(), options.establishTimeoutMs);

    const launch = (): void => {
      while (!finished && inFlight < options.connectConcurrency && launched < options.connections) {
        launched += 1;
        inFlight += 1;
        open();
      }
      if (established + failed === options.connections) finish();
    };

    const open = (): void => {
      const reader = new ReplyReader();
      let stage: 'greeting' | 'ehlo' | 'idle' | 'failed' = 'greeting';
      const socket = connect({ host: options.host, port: options.port, noDelay: true });
      sockets.push(socket);
      const fail = (kind: string): void => {
        if (stage === 'idle' || stage === 'failed') {
          if (stage === 'idle' && !finished) bump(kind);
          return;
        }
        stage = 'failed';
        bump(kind);
        failed += 1;
        inFlight -= 1;
        launch();
      };
      socket.on('data', (chunk: Buffer) => {
        for (const code of reader.push(chunk)) {
          if (stage === 'greeting') {
            if (code !== 220) return fail(`code:${code}`);
            stage = 'ehlo';
            socket.write(ehlo);
          } else if (stage === 'ehlo') {
            if (code !== 250) return fail(`code:${code}`);
            stage = 'idle';
            established += 1;
            inFlight -= 1;
            launch();
          }
        }
      });
      socket.on('error', (err: NodeJS.ErrnoException) => fail(err.code ?? 'socket-error'));
      socket.on('close', () => fail('closed-early'));
    };

    const finish = (): void => {
      if (finished) return;
      finished = true;
      clearTimeout(giveUp);
      const establishMs = Number(process.hrtime.bigint() - started) / 1e6;
      setTimeout(() => {
        const serverMemory = options.serverPid === undefined ? null : readMemory(options.serverPid);
        for (const s of sockets) s.destroy();
        resolve({
          options,
          established,
          establishMs,
          connectionsPerSec: establishMs > 0 ? (established * 1000) / establishMs : 0,
          errors: Object.fromEntries(errors),
          serverMemory,
        });
      }, options.holdMs);
    };

    launch();
  });
}
