import { connect } from 'node:net';
import { MESSAGE } from './smtp-steps.js';

/** What one short connection does after its greeting. */
export type FloodKind = 'transaction' | 'quit' | 'close' | 'reset';
export const FLOOD_KINDS: readonly FloodKind[] = ['transaction', 'quit', 'close', 'reset'];

const EXPECTED: Readonly<Record<FloodKind, string>> = {
  transaction: '220,250,250,250,354,250,221',
  quit: '220,221',
  close: '220',
  reset: '220',
};
const CONNECTION_TIMEOUT_MS = 10_000;

/** One short connection of the given kind; resolves with a problem, or undefined when it went as expected. */
export function shortConnection(port: number, kind: FloodKind, localAddress?: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, ...(localAddress === undefined ? {} : { localAddress }) });
    const codes: number[] = [];
    let partial = '';
    let problem: string | undefined;
    const timer = setTimeout(() => {
      problem = `${kind}: timed out after ${codes.join(',')}`;
      socket.destroy();
    }, CONNECTION_TIMEOUT_MS);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      partial += chunk;
      let index: number;
      while ((index = partial.indexOf('\r\n')) !== -1) {
        const line = partial.slice(0, index);
        partial = partial.slice(index + 2);
        if (line[3] === '-') continue;
        const code = Number(line.slice(0, 3));
        codes.push(code);
        if (code === 220) {
          if (kind === 'transaction') socket.write('EHLO flood.test\r\nMAIL FROM:<flood@example.test>\r\nRCPT TO:<x@sinkhole.test>\r\nDATA\r\n');
          else if (kind === 'quit') socket.write('QUIT\r\n');
          else if (kind === 'close') socket.end();
          else socket.resetAndDestroy();
        } else if (code === 354) {
          socket.write(`${MESSAGE}QUIT\r\n`);
        }
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (kind !== 'reset') problem ??= `${kind}: ${error.code ?? error.message}`;
    });
    socket.on('end', () => socket.end());
    socket.on('close', () => {
      clearTimeout(timer);
      const seen = codes.join(',');
      resolve(problem ?? (seen === EXPECTED[kind] ? undefined : `${kind}: replies ${seen}`));
    });
  });
}

export interface FloodResult {
  readonly connections: number;
  /** Connections that did not go as expected, and the first 20 of them. */
  readonly problemCount: number;
  readonly problems: readonly string[];
  readonly perKind: Readonly<Record<FloodKind, number>>;
  readonly elapsedMs: number;
}

/** `concurrency` loops of short connections of every kind in turn, for `durationMs`. */
export async function flood(port: number, options: { readonly durationMs: number; readonly concurrency: number; readonly localAddresses?: readonly string[] }): Promise<FloodResult> {
  const started = Date.now();
  const deadline = started + options.durationMs;
  const perKind: Record<FloodKind, number> = { transaction: 0, quit: 0, close: 0, reset: 0 };
  const problems: string[] = [];
  let problemCount = 0;
  let connections = 0;
  const addresses = options.localAddresses ?? [undefined];
  await Promise.all(
    Array.from({ length: options.concurrency }, async (_, loop) => {
      for (let i = loop; Date.now() < deadline; i++) {
        const kind = FLOOD_KINDS[i % FLOOD_KINDS.length] as FloodKind;
        const problem = await shortConnection(port, kind, addresses[(connections + loop) % addresses.length]);
        connections++;
        perKind[kind]++;
        if (problem === undefined) continue;
        problemCount++;
        if (problems.length < 20) problems.push(problem);
      }
    }),
  );
  return { connections, problemCount, problems, perKind, elapsedMs: Date.now() - started };
}
