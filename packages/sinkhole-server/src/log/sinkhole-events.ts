import type { CloseReason, LimitName } from '@sinkhole/smtp-core';
import type { LoggedDsn } from './dsn-field.js';
import type { LogLevel } from './log-level.js';

/** One accepted message: the envelope and sizes, never a body byte (the `accepted` line and /transactions). */
export interface AcceptedMessage {
  /** The connection's id, as in the log lines. */
  readonly id: string;
  readonly client: string;
  /** The mode's text, as logged. */
  readonly mode: string;
  readonly helo: string | null;
  /** '' for the null reverse-path <>. */
  readonly mailFrom: string;
  readonly rcptTo: readonly string[];
  /** Body octets after dot-unstuffing. */
  readonly size: number;
  /** 'bdat' with the chunk count when the body came in BDAT chunks (RFC 3030); absent for DATA. */
  readonly body?: 'bdat';
  readonly chunks?: number;
  /** The DSN requests of the transaction (RFC 3461), when the client made any. */
  readonly dsn?: LoggedDsn;
  /** accept-log only: the header block as received, up to the header cap (null when there was none). */
  readonly headers?: string | null;
  readonly headersTruncated?: boolean;
}

/** What the sinkhole logs, one JSON line each (`msg` is the line's message). Never a body byte. */
export type SinkholeEvent =
  | {
      readonly msg: 'listening';
      readonly host: string;
      readonly port: number;
      /** The listen backlog in force (the one asked for, capped at the kernel's somaxconn). */
      readonly backlog: number;
      /** What carries the connections: 'handles' (libuv's, directly) or 'sockets' (a net.Socket each). */
      readonly io: 'handles' | 'sockets';
      readonly hostname: string;
      readonly modeSource: string;
      /** The mode the next connection gets. */
      readonly mode: string;
      readonly pid: number;
      readonly version: string;
    }
  | {
      readonly msg: 'connection';
      readonly id: string;
      /** `ip:port`; null for a client that reset before the server accepted it (its address is gone). */
      readonly client: string | null;
      readonly mode: string;
      readonly helo: string | null;
      /** The last MAIL FROM of the connection ('' for the null path <>). */
      readonly mailFrom: string | null;
      /** Every RCPT TO of the connection, refused ones too, in order (at most 100; see rcptCount). */
      readonly rcptTo: readonly string[];
      readonly rcptCount: number;
      /** Each logged RCPT TO with its attempt number in the ledger and the reply code it got. */
      readonly recipients: readonly { readonly address: string; readonly attempt: number; readonly code: number }[];
      /** DSN requests of the last MAIL FROM and of the logged recipients, when the client made any. */
      readonly dsn?: LoggedDsn;
      readonly messages: number;
      /** The reply codes sent, each once, in order of first use. */
      readonly replies: readonly number[];
      /**
       * How many replies of each code were sent (its keys are exactly the codes in `replies`).
       * The session's own counter: an object keyed by reply codes would be a sparse array of
       * 4 to 5 KB per connection, so the object form is built only for subscribers (see
       * SinkholeLogRecord) and the line is written from the map.
       */
      readonly replyCounts: ReadonlyMap<number, number>;
      readonly bytesIn: number;
      readonly bytesOut: number;
      readonly durationMs: number;
      readonly reason: CloseReason;
      /** After STARTTLS: the negotiated protocol and cipher. */
      readonly tls?: { readonly protocol: string; readonly cipher: string };
      /** After AUTH: the mechanism and authorization id, never the credentials. */
      readonly auth?: { readonly mechanism: string; readonly authorizationId: string };
    }
  | ({ readonly msg: 'accepted' } & AcceptedMessage)
  | { readonly msg: 'mode-changed'; readonly from: string | null; readonly to: string; readonly source: string }
  | {
      readonly msg: 'mode-provider-error';
      readonly source: string;
      readonly code: string;
      readonly error: string;
      readonly usingMode: string;
      readonly usingStale: boolean;
    }
  | { readonly msg: 'mode-provider-recovered'; readonly source: string; readonly failures: number; readonly mode: string }
  | { readonly msg: 'limit'; readonly id: string | null; readonly client: string | null; readonly limit: LimitName; readonly value: number }
  | { readonly msg: 'hook-error'; readonly id: string; readonly client: string; readonly hook: string; readonly error: string }
  | { readonly msg: 'hook-timeout'; readonly id: string; readonly client: string; readonly hook: string; readonly timeoutMs: number }
  | { readonly msg: 'socket-error'; readonly id: string; readonly client: string | null; readonly error: string }
  | { readonly msg: 'http-listening'; readonly host: string; readonly port: number; readonly token: boolean; readonly openRoutes: string }
  | { readonly msg: 'http-request'; readonly method: string; readonly route: string; readonly status: number; readonly durationMs: number }
  | { readonly msg: 'http-error'; readonly error: string }
  | { readonly msg: 'shutting-down'; readonly reason: string; readonly graceMs: number; readonly connections: number }
  | { readonly msg: 'stopped'; readonly reason: string; readonly durationMs: number }
  | { readonly msg: 'start-failed'; readonly error: string }
  | { readonly msg: 'forced-exit'; readonly reason: string; readonly connections: number };

export type SinkholeEventName = SinkholeEvent['msg'];

/** An event as its JSON line reads: `replyCounts` as an object keyed by code. */
export type SinkholeEventRecord<E extends SinkholeEvent = SinkholeEvent> = E extends { readonly msg: 'connection' }
  ? Omit<E, 'replyCounts'> & { readonly replyCounts: Readonly<Record<string, number>> }
  : E;

/** A log line as an object: the event with its time (ISO 8601) and level first. */
export type SinkholeLogRecord = { readonly time: string; readonly level: LogLevel } & SinkholeEventRecord;
