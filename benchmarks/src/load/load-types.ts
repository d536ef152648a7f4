import type { HistogramSnapshot } from '../stats/latency-histogram.js';

/** The sinkhole mode under test; it decides which final replies count as expected. */
export type Mode = 'accept' | 'defer' | 'bounce' | 'greylist';
export const MODES: readonly Mode[] = ['accept', 'defer', 'bounce', 'greylist'];

/** What a latency is measured for: connect→greeting, each command→its reply, end of data→reply. */
export type Step = 'CONNECT' | 'EHLO' | 'STARTTLS' | 'MAIL' | 'RCPT' | 'DATA' | 'BODY' | 'RSET' | 'QUIT' | 'TXN';
export const STEPS: readonly Step[] = ['CONNECT', 'EHLO', 'STARTTLS', 'MAIL', 'RCPT', 'DATA', 'BODY', 'RSET', 'QUIT', 'TXN'];

export interface LoadOptions {
  readonly host: string;
  readonly port: number;
  /** Sessions open at once. */
  readonly concurrency: number;
  /** DATA payload bytes (headers + body, before the "." terminator). */
  readonly messageSize: number;
  /** Many messages per connection (true) or one connection per message (false). */
  readonly reuse: boolean;
  /** Send MAIL+RCPT+DATA as one group, and the body with the next group (RFC 2920), when the server offers PIPELINING. */
  readonly pipelining: boolean;
  readonly mode: Mode;
  /** Unmeasured time before the window opens. */
  readonly warmupMs: number;
  /** Measurement window; 0 means run until messageCount transactions have ended. */
  readonly durationMs: number;
  /** Cap on transactions started (0 = no cap; then durationMs must be > 0). */
  readonly messageCount: number;
  /** Server process to sample CPU time from at the window's edges (Linux /proc). */
  readonly serverPid?: number | undefined;
  /** A reply slower than this aborts its session (counted under errors as "timeout"). */
  readonly replyTimeoutMs: number;
  readonly heloName: string;
  /** The RCPT TO address; default sink@server.test. */
  readonly rcptTo?: string | undefined;
  /** STARTTLS after the first EHLO, then EHLO again over TLS (certificates are not verified). */
  readonly tls?: boolean | undefined;
}

export interface LoadResult {
  readonly options: LoadOptions;
  /** Length of the measurement window actually observed. */
  readonly elapsedMs: number;
  /** Transactions that ended with an expected final reply for the mode inside the window (the goodput). */
  readonly messages: number;
  /** Transactions that ended with any final reply inside the window. */
  readonly transactions: number;
  /** Transactions that ended with a 250 after the body. */
  readonly delivered: number;
  /** Connections that got their greeting inside the window. */
  readonly connections: number;
  readonly messagesPerSec: number;
  readonly connectionsPerSec: number;
  /** Final reply code of each transaction in the window → count. */
  readonly outcomes: Readonly<Record<string, number>>;
  /** Unexpected final replies ("code:421") and socket problems ("ECONNRESET", "timeout", "closed") → count. */
  readonly errors: Readonly<Record<string, number>>;
  readonly latencyMicros: Readonly<Partial<Record<Step, HistogramSnapshot>>>;
  /** Whether the server advertised PIPELINING and the client used it. */
  readonly pipelined: boolean;
  /** Server CPU (user+system) during the window, when serverPid was given and /proc was readable. */
  readonly serverCpuMs: number | null;
  readonly serverCpuMicrosPerMessage: number | null;
  /** The load client's own CPU (user+system) during the window: near elapsedMs means the client was saturated. */
  readonly clientCpuMs: number;
  /** The load client's CPU over its whole life (start-up, warm-up, window, drain). */
  readonly clientTotalCpuMs: number;
  /** Bytes written by the client inside the window. */
  readonly bytesSent: number;
}

/** Final transaction replies that are the normal outcome of a mode, i.e. not errors. */
export function isExpectedOutcome(mode: Mode, code: number): boolean {
  switch (mode) {
    case 'accept':
      return code === 250;
    case 'defer':
      return code === 421;
    case 'bounce':
      return code >= 500 && code < 600;
    case 'greylist':
      return code === 250 || code === 421 || code === 450 || code === 451;
  }
}
