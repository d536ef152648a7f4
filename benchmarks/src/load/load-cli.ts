import { parseArgs } from 'node:util';
import type { IdleOptions } from './idle-hold.js';
import { MODES, type LoadOptions, type Mode } from './load-types.js';

export const LOAD_USAGE = `Usage: node dist/load-client.mjs --port N [options]
  --host H              server address (127.0.0.1)
  --port N              server port (required)
  --concurrency N       sessions open at once (10)
  --size BYTES          message size, headers included (1024)
  --connection MODE     reuse | per-message (reuse)
  --pipelining          pipeline MAIL/RCPT/DATA and body+next group when offered (off)
  --tls                 STARTTLS after EHLO, then EHLO again over TLS (off)
  --mode M              accept | defer | bounce | greylist: which final replies are expected (accept)
  --warmup-ms N         unmeasured warm-up (1000)
  --duration-ms N       measurement window (5000); 0 = run --messages transactions
  --messages N          cap on transactions (0 = none)
  --timeout-ms N        per-reply timeout (10000)
  --server-pid PID      sample this process's CPU time over the window
  --idle N              instead: hold N idle connections (greeted, after EHLO)
  --hold-ms N           with --idle: hold time before sampling server memory (2000)
  --json                print the result as one JSON object`;

export type ClientCommand =
  | { readonly kind: 'load'; readonly options: LoadOptions; readonly json: boolean }
  | { readonly kind: 'idle'; readonly options: IdleOptions; readonly json: boolean }
  | { readonly kind: 'help' };

export function parseClientArgs(argv: readonly string[]): ClientCommand {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string' },
      concurrency: { type: 'string', default: '10' },
      size: { type: 'string', default: '1024' },
      connection: { type: 'string', default: 'reuse' },
      pipelining: { type: 'boolean', default: false },
      tls: { type: 'boolean', default: false },
      mode: { type: 'string', default: 'accept' },
      'warmup-ms': { type: 'string', default: '1000' },
      'duration-ms': { type: 'string', default: '5000' },
      messages: { type: 'string', default: '0' },
      'timeout-ms': { type: 'string', default: '10000' },
      'server-pid': { type: 'string' },
      rcpt: { type: 'string' },
      idle: { type: 'string' },
      'hold-ms': { type: 'string', default: '2000' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return { kind: 'help' };
  if (values.port === undefined) throw new Error('--port is required');
  const port = int(values.port, '--port', 1);
  const serverPid = values['server-pid'] === undefined ? undefined : int(values['server-pid'], '--server-pid', 1);
  if (values.idle !== undefined) {
    return {
      kind: 'idle',
      json: values.json,
      options: {
        host: values.host,
        port,
        connections: int(values.idle, '--idle', 1),
        connectConcurrency: 256,
        holdMs: int(values['hold-ms'], '--hold-ms', 0),
        establishTimeoutMs: 60_000,
        serverPid,
        heloName: 'client.test',
      },
    };
  }
  const mode = values.mode as Mode;
  if (!MODES.includes(mode)) throw new Error(`--mode must be one of ${MODES.join(', ')}`);
  if (values.connection !== 'reuse' && values.connection !== 'per-message') {
    throw new Error('--connection must be reuse or per-message');
  }
  const options: LoadOptions = {
    host: values.host,
    port,
    concurrency: int(values.concurrency, '--concurrency', 1),
    messageSize: int(values.size, '--size', 0),
    reuse: values.connection === 'reuse',
    pipelining: values.pipelining,
    tls: values.tls,
    mode,
    warmupMs: int(values['warmup-ms'], '--warmup-ms', 0),
    durationMs: int(values['duration-ms'], '--duration-ms', 0),
    messageCount: int(values.messages, '--messages', 0),
    serverPid,
    replyTimeoutMs: int(values['timeout-ms'], '--timeout-ms', 1),
    heloName: 'client.test',
    rcptTo: values.rcpt,
  };
  if (options.durationMs === 0 && options.messageCount === 0) throw new Error('give --duration-ms > 0 or --messages > 0');
  return { kind: 'load', options, json: values.json };
}

function int(text: string, name: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer >= ${min}, got ${JSON.stringify(text)}`);
  return n;
}
