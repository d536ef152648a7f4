import { isIP } from 'node:net';

/** The HTTP listener's bounds; each is a flag and a SINKHOLE_HTTP_* variable of the CLI. */
export interface HttpLimits {
  /** Largest request body (PUT /mode); larger ones get 413. */
  readonly maxBodyBytes: number;
  /** Time a client has to send its request headers; a slower one is disconnected. */
  readonly headersTimeoutMs: number;
  /** Longest `wait=` of GET /transactions. */
  readonly maxWaitMs: number;
  /** Concurrent HTTP connections; more are refused by the kernel's accept being closed on them. */
  readonly maxConnections: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = Object.freeze({
  maxBodyBytes: 64 * 1024,
  headersTimeoutMs: 10_000,
  maxWaitMs: 60_000,
  maxConnections: 64,
});

/** Largest request header block (Node's own bound, lowered: no route needs more). */
export const MAX_HEADER_BYTES = 8 * 1024;

/** Bounds on the token read from --http-token-file. */
export const MIN_TOKEN_LENGTH = 16;
export const MAX_TOKEN_LENGTH = 4096;

export interface HttpListenOptions {
  readonly host: string;
  readonly port: number;
  /** Bearer token; without one, routes that change something always answer 401. */
  readonly token?: string | undefined;
  readonly limits?: Partial<HttpLimits> | undefined;
}

/**
 * True for a literal loopback address (127.0.0.0/8, ::1, ::ffff:127.x.x.x) and `localhost`
 * (RFC 6761 §6.3). Any other name might resolve beyond the host, so it counts as not loopback.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (h.toLowerCase() === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || /^::ffff:127\./i.test(h) || /^0*:0*:0*:0*:0*:0*:0*:0*1$/.test(h);
  return false;
}

/** Why a token cannot be used, or undefined. */
export function tokenProblem(token: string): string | undefined {
  if (token.length < MIN_TOKEN_LENGTH) return `the token must be at least ${MIN_TOKEN_LENGTH} characters long`;
  if (token.length > MAX_TOKEN_LENGTH) return `the token must be at most ${MAX_TOKEN_LENGTH} characters long`;
  if (!/^[\x21-\x7e]+$/.test(token)) return 'the token must be printable ASCII without spaces (an HTTP header carries it)';
  return undefined;
}

/** Why these options cannot be served, or undefined: beyond loopback a token is required. */
export function httpOptionsProblem(options: HttpListenOptions): string | undefined {
  if (options.token !== undefined) {
    const problem = tokenProblem(options.token);
    if (problem !== undefined) return problem;
  } else if (!isLoopbackHost(options.host)) {
    return `the HTTP listener on ${options.host} is reachable beyond this host, so every route needs a token: give --http-token-file (or SINKHOLE_HTTP_TOKEN_FILE), or bind it to 127.0.0.1`;
  }
  const limits = { ...DEFAULT_HTTP_LIMITS, ...options.limits };
  if (!Number.isSafeInteger(limits.maxBodyBytes) || limits.maxBodyBytes < 1) return 'the HTTP body bound must be at least 1 byte';
  if (!Number.isSafeInteger(limits.headersTimeoutMs) || limits.headersTimeoutMs < 1) return 'the HTTP header timeout must be at least 1 ms';
  if (!Number.isSafeInteger(limits.maxWaitMs) || limits.maxWaitMs < 0) return 'the longest wait must not be negative';
  if (!Number.isSafeInteger(limits.maxConnections) || limits.maxConnections < 1) return 'the HTTP listener needs room for at least 1 connection';
  return undefined;
}
