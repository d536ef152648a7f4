import { SmtpCoreError } from './errors.js';

/** Every bound the engine enforces. Defaults are generous: normal test traffic never meets them. */
export interface Limits {
  /** Concurrent connections; one more is answered `421 4.7.0` and closed. */
  readonly maxConnections: number;
  /** Longest command line in octets, CRLF included; longer lines get `500 5.5.2` (RFC 5321 §4.5.3.1.4 minimum: 512). */
  readonly maxLineLength: number;
  /** Largest message body in octets; advertised as SIZE, larger ones get `552 5.3.4` (RFC 1870). */
  readonly maxMessageSize: number;
  /** Recipients per transaction; more get `452 4.5.3` (RFC 5321 §4.5.3.1.8 minimum: 100). */
  readonly maxRecipients: number;
  /** Header bytes kept per message for a policy that asks for them (`captureHeaders`); the rest is cut. */
  readonly maxHeaderBytes: number;
  /** Header bytes all messages in flight may hold together; past it, captures are cut too (stalled clients cannot pile them up). */
  readonly maxHeaderBytesTotal: number;
  /** Syntax and sequence errors per session before `421 4.7.0` and a close. */
  readonly maxProtocolErrors: number;
  /** Inactivity before `421 4.4.2` and a close (RFC 5321 §4.5.3.2.7: at least 5 minutes). */
  readonly idleTimeoutMs: number;
  /** Longest wait for a policy hook before it is answered `451 4.3.0` (`421` for the greeting). */
  readonly hookTimeoutMs: number;
  /** After a 421 or QUIT, how long the server keeps reading (and dropping) input before it destroys the socket. */
  readonly closeDrainMs: number;
  /** Reply bytes queued for a peer that is not reading before the server stops reading its commands. */
  readonly maxOutputBufferBytes: number;
  /** Longest TLS handshake after STARTTLS's 220 before the connection is dropped. */
  readonly tlsHandshakeTimeoutMs: number;
  /** TLS handshakes in progress at once (they cost CPU); past it STARTTLS gets `454 4.7.0`. */
  readonly maxTlsHandshakes: number;
}

export const DEFAULT_LIMITS: Limits = Object.freeze({
  maxConnections: 20_000,
  maxLineLength: 4096,
  maxMessageSize: 64 * 1024 * 1024,
  maxRecipients: 1000,
  maxHeaderBytes: 64 * 1024,
  maxHeaderBytesTotal: 16 * 1024 * 1024,
  maxProtocolErrors: 100,
  idleTimeoutMs: 300_000,
  hookTimeoutMs: 120_000,
  closeDrainMs: 10_000,
  maxOutputBufferBytes: 64 * 1024,
  tlsHandshakeTimeoutMs: 10_000,
  maxTlsHandshakes: 100,
});

const MINIMUMS: { readonly [K in keyof Limits]: number } = {
  maxConnections: 1,
  maxLineLength: 512,
  maxMessageSize: 1,
  maxRecipients: 1,
  maxHeaderBytes: 0,
  maxHeaderBytesTotal: 0,
  maxProtocolErrors: 0,
  idleTimeoutMs: 1,
  hookTimeoutMs: 1,
  closeDrainMs: 0,
  maxOutputBufferBytes: 1024,
  tlsHandshakeTimeoutMs: 1,
  maxTlsHandshakes: 1,
};

/** Overrides for some limits; an undefined value keeps the default. */
export type LimitOverrides = { readonly [K in keyof Limits]?: number | undefined };

/** Merges overrides over the defaults and checks each one; throws `ERR_SMTP_INVALID_OPTION`. */
export function resolveLimits(overrides: LimitOverrides = {}): Limits {
  const limits: Record<string, number> = { ...DEFAULT_LIMITS };
  for (const [name, value] of Object.entries(overrides)) {
    if (!(name in DEFAULT_LIMITS)) throw new SmtpCoreError('ERR_SMTP_INVALID_OPTION', `unknown limit "${name}"`);
    if (value === undefined) continue;
    const minimum = MINIMUMS[name as keyof Limits];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum) {
      throw new SmtpCoreError('ERR_SMTP_INVALID_OPTION', `limit ${name} must be an integer >= ${minimum}, got ${String(value)}`);
    }
    limits[name] = value;
  }
  return Object.freeze(limits) as unknown as Limits;
}

export type LimitName = keyof Limits;
