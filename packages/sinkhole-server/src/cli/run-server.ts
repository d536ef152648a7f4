import { fileModeProvider, ssmModeProvider } from '@sinkhole/mode-providers';
import { readFile } from 'node:fs/promises';
import { SinkholeLog } from '../log/sinkhole-log.js';
import { apiModeProvider } from '../mode/api-mode-provider.js';
import { startSinkhole, type Sinkhole, type StartSinkholeOptions } from '../sinkhole.js';
import type { ModeSourceConfig, ServerConfig } from './server-config.js';
import { SERVER_FLAGS } from './server-flags.js';
import type { BufferedLines } from './stdout-lines.js';
import { EXIT_FAILURE, EXIT_OK } from './usage-error.js';

export type StopSignal = 'SIGTERM' | 'SIGINT';

export interface ServerIo {
  readonly lines: BufferedLines;
  /** Calls handler on each SIGTERM or SIGINT. */
  readonly onStopSignal: (handler: (signal: StopSignal) => void) => void;
}

function modeOptions(source: ModeSourceConfig): Pick<StartSinkholeOptions, 'mode' | 'modeSourceName' | 'modeProvider' | 'cacheTtlMs'> {
  switch (source.kind) {
    case 'env':
      return { mode: source.mode, modeSourceName: `env:${SERVER_FLAGS.mode.env ?? 'SINKHOLE_MODE'}` };
    case 'file':
      return { modeProvider: fileModeProvider({ path: source.path }), cacheTtlMs: source.cacheTtlMs };
    case 'ssm':
      return { modeProvider: ssmModeProvider({ parameterName: source.parameter }), cacheTtlMs: source.cacheTtlMs };
    case 'api':
      return { modeProvider: apiModeProvider() };
  }
}

/**
 * Runs the server until SIGTERM or SIGINT, then shuts down gracefully. Resolves with the
 * exit status once the last session is gone (or the grace period has cut it).
 */
export async function runServer(config: ServerConfig, io: ServerIo): Promise<number> {
  // Signals are watched before the listener exists, so one that arrives during start-up is not lost.
  let sinkhole: Sinkhole | undefined;
  let stopSignal: StopSignal | undefined;
  let finish: (status: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => {
    finish = resolve;
  });
  const stop = (running: Sinkhole, signal: StopSignal): void => {
    running.close({ graceMs: config.shutdownGraceMs, reason: signal }).then(
      () => finish(EXIT_OK),
      () => finish(EXIT_FAILURE),
    );
  };
  io.onStopSignal((signal) => {
    if (stopSignal !== undefined) {
      // A second signal: the operator does not want to wait for the grace period.
      new SinkholeLog({ sink: io.lines.write }).always('warn', { msg: 'forced-exit', reason: signal, connections: sinkhole?.connectionCount ?? 0 });
      finish(EXIT_FAILURE);
      return;
    }
    stopSignal = signal;
    if (sinkhole !== undefined) stop(sinkhole, signal);
  });
  try {
    sinkhole = await startSinkhole({
      ...modeOptions(config.modeSource),
      host: config.host,
      port: config.port,
      ...(config.listenBacklog === undefined ? {} : { listenBacklog: config.listenBacklog }),
      io: config.io,
      ...(config.hostname === undefined ? {} : { hostname: config.hostname }),
      ...(config.extensions === undefined ? {} : { extensions: config.extensions }),
      ...(config.tls === undefined ? {} : { tls: await tlsOptions(config.tls) }),
      auth: config.auth,
      protocol: config.protocol,
      greylist: config.greylist,
      addressScripts: config.addressScripts,
      ledger: config.ledger,
      limits: config.limits,
      log: io.lines.write,
      logLevel: config.logLevel,
      // Transactions are kept only for GET /transactions: without --http nothing reads them.
      transactions: config.http === undefined ? false : config.http.transactions,
      ...(config.http === undefined
        ? {}
        : { http: { host: config.http.host, port: config.http.port, token: config.http.token, limits: config.http.limits } }),
    });
  } catch (error) {
    const detail = error instanceof Error ? `${(error as NodeJS.ErrnoException).code ?? error.name}: ${error.message}` : String(error);
    new SinkholeLog({ sink: io.lines.write }).always('error', { msg: 'start-failed', error: detail });
    return EXIT_FAILURE;
  }
  if (stopSignal !== undefined) stop(sinkhole, stopSignal);
  return finished;
}

/** The PEM files named by --tls-cert/--tls-key, read at start (none: startSinkhole makes a self-signed pair). */
async function tlsOptions(tls: NonNullable<ServerConfig['tls']>): Promise<NonNullable<StartSinkholeOptions['tls']>> {
  const required = tls.mode === 'required';
  if (tls.certFile === undefined || tls.keyFile === undefined) return { required };
  const [cert, key] = await Promise.all([readFile(tls.certFile, 'utf8'), readFile(tls.keyFile, 'utf8')]);
  return { required, cert, key };
}
