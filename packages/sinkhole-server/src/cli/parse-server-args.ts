import { DEFAULT_SSM_PARAMETER } from '@sinkhole/mode-providers';
import { DEFAULT_MODE } from '../mode/mode.js';
import { resolveLimits, type Limits } from '@sinkhole/smtp-core';
import { DEFAULT_GREYLIST, greylistProblem, type GreylistOptions } from '../greylist/greylist-options.js';
import { DEFAULT_LEDGER, ledgerProblem, type LedgerOptions } from '../ledger/ledger-options.js';
import type { FlagReader } from './flag-reader.js';
import type { FlagSpec } from './flag-spec.js';
import { httpConfig } from './http-config.js';
import type { ModeSourceConfig, ServerConfig } from './server-config.js';
import {
  DEFAULT_FILE_CACHE_TTL_MS,
  DEFAULT_HOST,
  DEFAULT_PORT,
  DEFAULT_SHUTDOWN_GRACE_MS,
  DEFAULT_SSM_CACHE_TTL_MS,
  SERVER_FLAGS as F,
  type ModeSourceKind,
} from './server-flags.js';
import { UsageError } from './usage-error.js';

/** Builds the server configuration from parsed flags and the environment. Throws UsageError. */
export function serverConfig(reader: FlagReader): ServerConfig {
  const greylist: GreylistOptions = {
    windowMs: reader.get(F.greylistWindow) ?? DEFAULT_GREYLIST.windowMs,
    minDelayMs: reader.get(F.greylistMinDelay) ?? DEFAULT_GREYLIST.minDelayMs,
    code: reader.get(F.greylistCode) ?? DEFAULT_GREYLIST.code,
    key: reader.get(F.greylistKey) ?? DEFAULT_GREYLIST.key,
    maxEntries: reader.get(F.greylistMaxEntries) ?? DEFAULT_GREYLIST.maxEntries,
  };
  const greylistError = greylistProblem(greylist);
  if (greylistError !== undefined) throw new UsageError(`${greylistError} (--greylist-min-delay, --greylist-window)`);
  const ledger: LedgerOptions = {
    maxEntries: reader.get(F.ledgerMaxEntries) ?? DEFAULT_LEDGER.maxEntries,
    maxAgeMs: reader.get(F.ledgerMaxAge) ?? DEFAULT_LEDGER.maxAgeMs,
    maxHistory: reader.get(F.ledgerMaxHistory) ?? DEFAULT_LEDGER.maxHistory,
  };
  const ledgerError = ledgerProblem(ledger);
  if (ledgerError !== undefined) throw new UsageError(ledgerError);
  return {
    host: reader.get(F.host) ?? DEFAULT_HOST,
    port: reader.get(F.port) ?? DEFAULT_PORT,
    listenBacklog: reader.get(F.listenBacklog),
    io: reader.get(F.io) ?? 'auto',
    hostname: reader.get(F.hostname),
    modeSource: modeSource(reader),
    extensions: reader.get(F.extensions),
    tls: tlsConfig(reader),
    auth: reader.get(F.auth) === 'any',
    protocol: reader.get(F.protocol) ?? 'smtp',
    greylist,
    addressScripts: reader.get(F.addressScripts) ?? true,
    ledger,
    limits: limits(reader),
    shutdownGraceMs: reader.get(F.shutdownGrace) ?? DEFAULT_SHUTDOWN_GRACE_MS,
    logLevel: reader.get(F.logLevel) ?? 'info',
    environment: reader.get(F.environment),
    http: httpConfig(reader),
  };
}

function modeSource(reader: FlagReader): ModeSourceConfig {
  const kind: ModeSourceKind = reader.get(F.modeSource) ?? 'env';
  const notFor = (spec: FlagSpec<unknown>, hint: string): void => {
    if (reader.origin(spec) === 'flag') throw new UsageError(`--${spec.name} does not apply to --mode-source ${kind}; ${hint}`);
  };
  switch (kind) {
    case 'env':
      notFor(F.modeFile, 'it needs --mode-source file');
      notFor(F.ssmParameter, 'it needs --mode-source ssm');
      notFor(F.cacheTtl, 'the env mode is read once at start-up');
      return { kind, mode: reader.get(F.mode) ?? DEFAULT_MODE };
    case 'file': {
      notFor(F.mode, 'write the mode into the --mode-file');
      notFor(F.ssmParameter, 'it needs --mode-source ssm');
      const path = reader.get(F.modeFile);
      if (path === undefined) throw new UsageError('--mode-source file needs --mode-file PATH (or SINKHOLE_MODE_FILE)');
      return { kind, path, cacheTtlMs: reader.get(F.cacheTtl) ?? DEFAULT_FILE_CACHE_TTL_MS };
    }
    case 'ssm':
      notFor(F.mode, 'set the mode with aws ssm put-parameter');
      notFor(F.modeFile, 'it needs --mode-source file');
      return {
        kind,
        parameter: reader.get(F.ssmParameter) ?? DEFAULT_SSM_PARAMETER,
        cacheTtlMs: reader.get(F.cacheTtl) ?? DEFAULT_SSM_CACHE_TTL_MS,
      };
    case 'api':
      notFor(F.mode, 'PUT the mode to /mode');
      notFor(F.modeFile, 'it needs --mode-source file');
      notFor(F.ssmParameter, 'it needs --mode-source ssm');
      notFor(F.cacheTtl, 'a PUT takes effect at the next connection');
      if (reader.get(F.http) === undefined) throw new UsageError('--mode-source api needs --http HOST:PORT (or SINKHOLE_HTTP): the mode is PUT to /mode');
      return { kind };
  }
}

function tlsConfig(reader: FlagReader): ServerConfig['tls'] {
  const mode = reader.get(F.tls) ?? 'off';
  const certFile = reader.get(F.tlsCert);
  const keyFile = reader.get(F.tlsKey);
  if (mode === 'off') {
    if (certFile !== undefined || keyFile !== undefined) throw new UsageError('--tls-cert and --tls-key need --tls on or --tls required');
    return undefined;
  }
  if ((certFile === undefined) !== (keyFile === undefined)) throw new UsageError('--tls-cert and --tls-key go together: give both, or neither for a self-signed certificate');
  return { mode, certFile, keyFile };
}

function limits(reader: FlagReader): Partial<Limits> {
  const chosen: { -readonly [K in keyof Limits]?: number } = {};
  const set = (name: keyof Limits, value: number | undefined): void => {
    if (value !== undefined) chosen[name] = value;
  };
  set('maxConnections', reader.get(F.maxConnections));
  set('maxMessageSize', reader.get(F.maxMessageSize));
  set('maxRecipients', reader.get(F.maxRecipients));
  set('maxLineLength', reader.get(F.maxLineLength));
  set('maxHeaderBytes', reader.get(F.maxHeaderBytes));
  set('maxHeaderBytesTotal', reader.get(F.maxHeaderBytesTotal));
  set('maxProtocolErrors', reader.get(F.maxProtocolErrors));
  set('idleTimeoutMs', reader.get(F.idleTimeout));
  set('closeDrainMs', reader.get(F.closeDrain));
  set('tlsHandshakeTimeoutMs', reader.get(F.tlsHandshakeTimeout));
  set('maxTlsHandshakes', reader.get(F.maxTlsHandshakes));
  try {
    resolveLimits(chosen);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  return chosen;
}
