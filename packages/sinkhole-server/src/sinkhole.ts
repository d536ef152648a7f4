import { hostname as osHostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import { SYSTEM_CLOCK, type Clock, type ModeProvider, type ModeProviderEvent } from '@sinkhole/mode-providers';
import type { Mode } from './mode/mode.js';
import { createSmtpServer, type Extensions, type Limits } from '@sinkhole/smtp-core';
import { DEFAULT_GREYLIST, greylistProblem, type GreylistOptions } from './greylist/greylist-options.js';
import { Greylister } from './greylist/greylister.js';
import { AttemptLedger } from './ledger/attempt-ledger.js';
import type { AttemptLedgerReader } from './ledger/ledger-reader.js';
import { DEFAULT_LEDGER, ledgerProblem, type LedgerOptions } from './ledger/ledger-options.js';
import { logEngineEvent } from './log/engine-events.js';
import type { LogLevel } from './log/log-level.js';
import { logModeEvent } from './log/mode-events.js';
import type { SinkholeLogRecord } from './log/sinkhole-events.js';
import { SinkholeLog, type LineSink } from './log/sinkhole-log.js';
import { ModeSelector } from './mode/mode-selector.js';
import { sinkholePolicy } from './policy/sinkhole-policy.js';
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
  /** Name in the greeting; default the machine's host name. */
  readonly hostname?: string;
  /** What EHLO advertises; each extension defaults to on (see smtp-core's DEFAULT_EXTENSIONS). */
  readonly extensions?: Partial<Extensions>;
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
  /** The log as records; each iteration sees the records from its start until close(). */
  readonly events: AsyncIterable<SinkholeLogRecord>;
  /** Stops accepting, lets open sessions finish (idle ones get 421 4.3.2 at once), then resolves. */
  close(options?: CloseSinkholeOptions): Promise<void>;
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
  // Mode events seen while starting are logged after the "listening" line, which comes first.
  let early: ModeProviderEvent<Mode>[] | undefined = [];
  const modes = new ModeSelector({
    mode: options.mode,
    modeSourceName: options.modeSourceName,
    modeProvider: options.modeProvider,
    cacheTtlMs: options.cacheTtlMs,
    clock,
    onEvent: (event) => (early === undefined ? logModeEvent(log, event) : early.push(event)),
  });
  const ledger = new AttemptLedger(ledgerOptions, clock);
  const greylister = new Greylister(greylist, clock);
  const hostname = options.hostname ?? osHostname();
  const server = createSmtpServer({
    hostname,
    policy: sinkholePolicy(modes, { log, greylister, ledger, addressScripts: options.addressScripts ?? true }),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    ...(options.extensions === undefined ? {} : { extensions: options.extensions }),
    onEvent: (event) => logEngineEvent(log, event),
  });
  const host = options.host ?? '127.0.0.1';
  let address: AddressInfo;
  try {
    [address] = await Promise.all([server.listen(options.port ?? 0, host), modes.load()]);
  } catch (error) {
    modes.close();
    throw error;
  }
  log.always('info', {
    msg: 'listening',
    host,
    port: address.port,
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
  const close = async (closeOptions: CloseSinkholeOptions): Promise<void> => {
    const started = Date.now();
    const reason = closeOptions.reason ?? 'close';
    const graceMs = closeOptions.graceMs ?? DEFAULT_CLOSE_GRACE_MS;
    log.always('info', { msg: 'shutting-down', reason, graceMs, connections: server.connectionCount });
    await server.close({ graceMs });
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
    clearAttempts: () => {
      ledger.clear();
      greylister.table.clear();
    },
    events: { [Symbol.asyncIterator]: () => log.subscribe() },
    close: (closeOptions = {}) => (closing ??= close(closeOptions)),
  };
}
