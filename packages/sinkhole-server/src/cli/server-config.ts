import type { Extensions, Limits } from '@sinkhole/smtp-core';
import type { Mode } from '../mode/mode.js';
import type { GreylistOptions } from '../greylist/greylist-options.js';
import type { LedgerOptions } from '../ledger/ledger-options.js';
import type { HttpLimits } from '../http/http-options.js';
import type { LogLevel } from '../log/log-level.js';
import type { TransactionRingOptions } from '../transactions/transaction-ring.js';

export type ModeSourceConfig =
  | { readonly kind: 'env'; readonly mode: Mode }
  | { readonly kind: 'file'; readonly path: string; readonly cacheTtlMs: number }
  | { readonly kind: 'ssm'; readonly parameter: string; readonly cacheTtlMs: number }
  | { readonly kind: 'api' };

/** The HTTP surface, when --http is given. */
export interface HttpConfig {
  readonly host: string;
  readonly port: number;
  /** Read from --http-token-file at start-up. */
  readonly token: string | undefined;
  readonly limits: HttpLimits;
  readonly transactions: Pick<TransactionRingOptions, 'maxEntries' | 'maxBytes'>;
}

/** Everything the server command needs, validated. */
export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  /** Undefined: the engine's default (4096, or somaxconn when larger). */
  readonly listenBacklog: number | undefined;
  /** What carries the connections (smtp-core's `io`). */
  readonly io: 'auto' | 'sockets';
  /** Undefined: the machine's host name. */
  readonly hostname: string | undefined;
  readonly modeSource: ModeSourceConfig;
  /** What EHLO advertises; undefined: the engine's defaults. */
  readonly extensions: Extensions | undefined;
  /** STARTTLS: off, or on/required with PEM files (undefined: a self-signed certificate is made at start). */
  readonly tls: { readonly mode: 'on' | 'required'; readonly certFile: string | undefined; readonly keyFile: string | undefined } | undefined;
  /** AUTH PLAIN LOGIN offered, any credentials accepted. */
  readonly auth: boolean;
  readonly protocol: 'smtp' | 'lmtp';
  readonly greylist: GreylistOptions;
  readonly addressScripts: boolean;
  readonly ledger: LedgerOptions;
  readonly limits: Partial<Limits>;
  readonly shutdownGraceMs: number;
  readonly logLevel: LogLevel;
  readonly environment: string | undefined;
  readonly http: HttpConfig | undefined;
}
