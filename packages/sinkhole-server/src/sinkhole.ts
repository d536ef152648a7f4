import { hostname as osHostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import { SYSTEM_CLOCK, type Clock, type ModeProvider, type ModeProviderEvent } from '@sinkhole/mode-providers';
import type { Mode } from './mode/mode.js';
import { createSmtpServer, defaultListenBacklog, readSomaxconn, selfSignedCertificate, type Extensions, type Limits } from '@sinkhole/smtp-core';
import { DEFAULT_GREYLIST, greylistProblem, type GreylistOptions } from './greylist/greylist-options.js';
import { Greylister } from './greylist/greylister.js';
import { AttemptLedger } from './ledger/attempt-ledger.js';
import type { LedgerEntry } from './ledger/attempt-ledger.js';
import { ledgerKey } from './ledger/ledger-key.js';
import type { AttemptLedgerReader } from './ledger/ledger-reader.js';
import { DEFAULT_LEDGER, ledgerProblem, type LedgerOptions } from './ledger/ledger-options.js';
import type { HttpContext } from './http/http-context.js';
import { isLoopbackHost, type HttpListenOptions } from './http/http-options.js';
import type { HttpListener } from './http/http-server.js';
import { logEngineEvent } from './log/engine-events.js';
import type { LogLevel } from './log/log-level.js';
import { logModeEvent } from './log/mode-events.js';
import type { SinkholeLogRecord } from './log/sinkhole-events.js';
import { SinkholeLog, type LineSink } from './log/sinkhole-log.js';
import { SinkholeMetrics } from './metrics/sinkhole-metrics.js';
import { isApiModeProvider } from './mode/api-mode-provider.js';
import { formatMode } from './mode/format-mode.js';
import { ModeSelector, toMode } from './mode/mode-selector.js';
import { sinkholePolicy } from './policy/sinkhole-policy.js';
import type { AcceptedTransaction } from './transactions/accepted-transaction.js';
import { DEFAULT_TRANSACTION_RING, TransactionRing, type TransactionRingOptions } from './transactions/transaction-ring.js';
import { waitForTransaction, type WaitForOptions } from './transactions/wait-for.js';
import { VERSION } from './version.js';

/** The SIGTERM grace of the CLI; close() without graceMs uses it too. */
export const DEFAULT_CLOSE_GRACE_MS = 100_000;

export interface StartSinkholeOptions {
  /** A fixed mode (text or value); default defer. Give this or modeProvider. */
  readonly mode?: Mode | string;
  /** Names a fixed mode's origin in the logs (the CLI says `env:SINKHOLE_MODE`); default `fixed`. */
  readonly modeSourceName?: string;
  /** A mode source, read through a TTL cache once per new connection. */
  readonly modeProvider?: ModeProvider;
  /** TTL of that cache; default the provider's recommendation, else 30 s. */
  readonly cacheTtlMs?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: a free port, see `address`. */
  readonly port?: number;
  /** Connections the kernel queues before they are accepted; default 4096, or net.core.somaxconn when larger. */
  readonly listenBacklog?: number;
  /** What carries the connections: 'auto' (default) libuv handles when possible, 'sockets' a net.Socket each (smtp-core's `io`). */
  readonly io?: 'auto' | 'sockets';
  /** Name in the greeting; default the machine's host name. */
  readonly hostname?: string;
  /** What EHLO advertises; each extension defaults to on (see smtp-core's DEFAULT_EXTENSIONS). */
  readonly extensions?: Partial<Extensions>;
  /** STARTTLS with this PEM key and certificate; without them a self-signed certificate for the hostname is made. */
  readonly tls?: { readonly required?: boolean; readonly key?: string; readonly cert?: string };
  /** AUTH PLAIN LOGIN offered; any credentials are accepted unless a scenario refuses them. */
  readonly auth?: boolean;
  /** 'lmtp': LMTP (RFC 2033), each recipient's outcome given after the data; default 'smtp'. */
  readonly protocol?: 'smtp' | 'lmtp';
  readonly greylist?: Partial<GreylistOptions>;
  /** Recipients like `qp+421x2.250@...` follow their script; default true. */
  readonly addressScripts?: boolean;
  /** Bounds of the attempt ledger; default DEFAULT_LEDGER. */
  readonly ledger?: Partial<LedgerOptions>;
  readonly limits?: Partial<Limits>;
  /** Where JSON log lines go (one call per line); default nowhere. */
  readonly log?: LineSink;
  /** Lowest level written to `log`; default info. The events stream gets every level. */
  readonly logLevel?: LogLevel;
  /** Time for the greylist table and the mode cache; default monotonic time. */
  readonly clock?: Clock;
  /** Keep the last accepted transactions for transactions(), waitFor() and GET /transactions; false keeps none. Default on. */
  readonly transactions?: Partial<TransactionRingOptions> | false;
  /** Serve the HTTP surface (metrics, health, mode, attempts, transactions); default off. */
  readonly http?: HttpListenOptions;
}

export interface CloseSinkholeOptions {
  /** How long sessions in DATA may take before they are cut; default 100 s. */
  readonly graceMs?: number;
  /** Logged in the shutting-down line, e.g. the signal name. */
  readonly reason?: string;
}

export interface Sinkhole {
  readonly address: AddressInfo;
  readonly hostname: string;
  readonly connectionCount: number;
  /** Where the mode comes from: `fixed`, `env:...`, `file:...`, `ssm:...`. */
  readonly modeSource: string;
  /** Every later connection gets this mode (the provider, if any, is no longer read). Returns the parsed mode. */
  setMode(mode: Mode | string): Mode;
  /** What the MTA did: every RCPT decision by key, bounded (see LedgerOptions). */
  readonly ledger: AttemptLedgerReader;
  /** Forgets every attempt: the ledger and the greylist table start empty. */
  clearAttempts(): void;
  /** One key's attempts: a ledger key (`recipient:...`, `triplet:...`) or a bare recipient address. */
  attempts(key: string): LedgerEntry | undefined;
  /** The log as records; each iteration sees the records from its start until close(). */
  readonly events: AsyncIterable<SinkholeLogRecord>;
  /** The last accepted transactions, oldest first (envelope, size, headers in accept-log; never bodies). */
  transactions(): AcceptedTransaction[];
  /**
   * The first accepted transaction the predicate holds for: one already kept, or the next one
   * accepted. Rejects after `timeout` (default 10 s) with an error saying so.
   */
  waitFor(predicate: (transaction: AcceptedTransaction) => boolean, options?: WaitForOptions): Promise<AcceptedTransaction>;
  /** Forgets the transactions kept and every attempt (the greylist table too). */
  reset(): void;
  /** The metrics in Prometheus text format, as GET /metrics serves them. */
  metrics(): string;
  /** Where the HTTP surface listens, when it was asked for. */
  readonly httpAddress: AddressInfo | undefined;
  /** Stops accepting, lets open sessions finish (idle ones get 421 4.3.2 at once), then resolves. */
  close(options?: CloseSinkholeOptions): Promise<void>;
}

/** Loads the HTTP surface (and node:http with it) only when it is asked for. */
async function startHttp(options: HttpListenOptions, log: SinkholeLog, context: HttpContext): Promise<HttpListener> {
  const { startHttpServer } = await import('./http/http-server.js');
  const listener = await startHttpServer(context, options, log);
  log.always('info', {
    msg: 'http-listening',
    host: options.host,
    port: listener.address.port,
    token: options.token !== undefined,
    openRoutes: isLoopbackHost(options.host) ? 'read-only' : 'none',
  });
  return listener;
}

/** Starts a sinkhole: the programmatic form of the CLI. */
export async function startSinkhole(options: StartSinkholeOptions = {}): Promise<Sinkhole> {
  const greylist: GreylistOptions = { ...DEFAULT_GREYLIST, ...options.greylist };
  const problem = greylistProblem(greylist);
  if (problem !== undefined) throw new RangeError(problem);
  const ledgerOptions: LedgerOptions = { ...DEFAULT_LEDGER, ...options.ledger };
  const ledgerError = ledgerProblem(ledgerOptions);
  if (ledgerError !== undefined) throw new RangeError(ledgerError);
  const log = new SinkholeLog({ sink: options.log, level: options.logLevel });
  const clock = options.clock ?? SYSTEM_CLOCK;
  const metrics = new SinkholeMetrics();
  const ring = options.transactions === false ? undefined : new TransactionRing({ ...DEFAULT_TRANSACTION_RING, ...options.transactions });
  // Mode events seen while starting are logged after the "listening" line, which comes first.
  let early: ModeProviderEvent<Mode>[] | undefined = [];
  const modes = new ModeSelector({
    mode: options.mode,
    modeSourceName: options.modeSourceName,
    modeProvider: options.modeProvider,
    cacheTtlMs: options.cacheTtlMs,
    clock,
    onEvent: (event) => {
      if (event.type === 'mode-changed') metrics.onModeChanged(event.source);
      if (early === undefined) logModeEvent(log, event);
      else early.push(event);
    },
    onLookup: (source, error) => metrics.onModeLookup(source, error),
  });
  const ledger = new AttemptLedger(ledgerOptions, clock);
  const greylister = new Greylister(greylist, clock, { passed: metrics.greylistPassed, greylisted: metrics.greylistGreylisted });
  const hostname = options.hostname ?? osHostname();
  const server = createSmtpServer({
    hostname,
    policy: sinkholePolicy(modes, { log, greylister, ledger, addressScripts: options.addressScripts ?? true, metrics, transactions: ring, lmtp: options.protocol === 'lmtp' }),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    ...(options.extensions === undefined ? {} : { extensions: options.extensions }),
    ...(options.tls === undefined ? {} : { tls: tlsMaterial(options.tls, hostname) }),
    auth: options.auth === true,
    protocol: options.protocol ?? 'smtp',
    io: options.io ?? 'auto',
    onEvent: (event) => {
      metrics.onEngineEvent(event);
      logEngineEvent(log, event);
    },
  });
  metrics.bind({
    connections: () => server.connectionCount,
    greylistEntries: () => greylister.table.size,
    greylistEvictions: () => greylister.table.evicted,
    ledgerEntries: () => ledger.size,
    mode: () => ({ kind: modes.status().mode.kind, source: modes.source }),
    providerFailures: () => modes.status().failures,
  });
  const clearAttempts = (): void => {
    ledger.clear();
    greylister.table.clear();
  };
  const api = isApiModeProvider(options.modeProvider) ? options.modeProvider : undefined;
  const host = options.host ?? '127.0.0.1';
  const somaxconn = readSomaxconn();
  const backlog = options.listenBacklog ?? defaultListenBacklog(somaxconn);
  let address: AddressInfo;
  try {
    [address] = await Promise.all([server.listen(options.port ?? 0, host, { backlog }), modes.load()]);
  } catch (error) {
    modes.close();
    throw error;
  }
  log.always('info', {
    msg: 'listening',
    host,
    port: address.port,
    // What the kernel applies: it cuts the backlog to somaxconn.
    backlog: somaxconn === undefined ? backlog : Math.min(backlog, somaxconn),
    io: server.ioMode ?? 'sockets',
    hostname,
    modeSource: modes.source,
    mode: modes.describe(),
    pid: process.pid,
    version: VERSION,
  });
  const startupEvents = early;
  early = undefined;
  // The first mode read is in the listening line already.
  for (const event of startupEvents) if (!(event.type === 'mode-changed' && event.from === undefined)) logModeEvent(log, event);

  let closing: Promise<void> | undefined;
  const transactions = ring ?? new TransactionRing({ ...DEFAULT_TRANSACTION_RING, maxEntries: 1 });
  let http: HttpListener | undefined;
  if (options.http !== undefined) {
    try {
      http = await startHttp(options.http, log, {
        registry: metrics.registry,
        modes: {
          status: () => modes.status(),
          get settable() {
            return api !== undefined && modes.source === api.name;
          },
          put: async (text) => {
            const trimmed = text.trim();
            toMode(trimmed);
            api?.put(trimmed);
            return modes.refresh();
          },
          describe: formatMode,
        },
        ledger,
        clearAttempts,
        transactions,
        accepting: () => closing === undefined,
      });
    } catch (error) {
      await server.close({ graceMs: 0 });
      modes.close();
      throw error;
    }
  }
  const close = async (closeOptions: CloseSinkholeOptions): Promise<void> => {
    const started = Date.now();
    const reason = closeOptions.reason ?? 'close';
    const graceMs = closeOptions.graceMs ?? DEFAULT_CLOSE_GRACE_MS;
    log.always('info', { msg: 'shutting-down', reason, graceMs, connections: server.connectionCount });
    await server.close({ graceMs });
    transactions.close();
    await http?.close();
    modes.close();
    log.always('info', { msg: 'stopped', reason, durationMs: Date.now() - started });
    log.close();
  };
  return {
    address,
    hostname,
    get connectionCount() {
      return server.connectionCount;
    },
    get modeSource() {
      return modes.source;
    },
    setMode: (mode) => modes.set(mode),
    ledger,
    clearAttempts,
    attempts: (key) => ledger.get(/^(recipient|triplet|message-id|client):/.test(key) ? key : ledgerKey('recipient', key)),
    events: { [Symbol.asyncIterator]: () => log.subscribe() },
    transactions: () => transactions.list(),
    waitFor: (predicate, waitOptions) => {
      if (ring === undefined) return Promise.reject(new Error('waitFor() needs the transactions kept: start the sinkhole without transactions: false'));
      return waitForTransaction(ring, predicate, waitOptions);
    },
    reset: () => {
      clearAttempts();
      transactions.clear();
    },
    metrics: () => metrics.render(),
    httpAddress: http?.address,
    close: (closeOptions = {}) => (closing ??= close(closeOptions)),
  };
}

function tlsMaterial(tls: NonNullable<StartSinkholeOptions['tls']>, hostname: string): { key: string; cert: string; required: boolean } {
  const required = tls.required === true;
  if (tls.key !== undefined && tls.cert !== undefined) return { key: tls.key, cert: tls.cert, required };
  return { ...selfSignedCertificate(hostname), required };
}
