import { SmtpTestClient } from '@sinkhole/test-kit';
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
export async function shortConnection(port: number, kind: FloodKind, localAddress?: string): Promise<string | undefined> {
  const codes: number[] = [];
  let c: SmtpTestClient | undefined;
  try {
    c = await SmtpTestClient.connect(port, { waitMs: CONNECTION_TIMEOUT_MS, ...(localAddress === undefined ? {} : { localAddress }) });
    const next = async (): Promise<number> => {
      const code = (await (c as SmtpTestClient).reply()).code;
      codes.push(code);
      return code;
    };
    if ((await next()) !== 220) return `${kind}: replies ${codes.join(',')}`;
    if (kind === 'reset') {
      c.socket.resetAndDestroy();
      return undefined;
    }
    if (kind === 'close') c.socket.end();
    if (kind === 'quit') {
      c.write('QUIT\r\n');
      await next();
    }
    if (kind === 'transaction') {
      c.write('EHLO flood.test\r\nMAIL FROM:<flood@example.test>\r\nRCPT TO:<x@sinkhole.test>\r\nDATA\r\n');
      for (let i = 0; i < 4; i++) await next();
      c.write(`${MESSAGE}QUIT\r\n`);
      await next();
      await next();
    }
    const { ending, unread } = await c.ending();
    if (ending !== 'eof') return `${kind}: ${c.error?.code ?? ending} after ${codes.join(',')}`;
    const seen = [...codes, ...unread.map((line) => Number(line.slice(0, 3)))].join(',');
    return seen === EXPECTED[kind] ? undefined : `${kind}: replies ${seen}`;
  } catch (error) {
    return `${kind}: ${error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.message) : String(error)} after ${codes.join(',')}`;
  } finally {
    c?.destroy();
  }
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
