import { DEFAULT_HTTP_LIMITS } from '../http/http-options.js';
import { DEFAULT_TRANSACTION_RING } from '../transactions/transaction-ring.js';
import { flag, inRange } from './flag-spec.js';
import { formatByteSize, formatDuration, parseByteSize, parseCount, parseDuration, type ValueResult } from './values.js';

const MAX = Number.MAX_SAFE_INTEGER;

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** `127.0.0.1:9090`, `0.0.0.0:9090`, `[::1]:9090`. */
export function parseHostPort(text: string): ValueResult<HostPort> {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):(\d{1,5})$/.exec(text.trim());
  const port = m === null ? Number.NaN : Number(m[2]);
  if (m === null || !(port >= 0 && port <= 65_535)) {
    return { ok: false, problem: 'expected HOST:PORT such as 127.0.0.1:9090, 0.0.0.0:9090 or [::1]:9090 (port 0 picks a free one)' };
  }
  const host = m[1] as string;
  return { ok: true, value: { host: host.startsWith('[') ? host.slice(1, -1) : host, port } };
}

/** The HTTP surface's flags; none applies without --http. */
export const HTTP_FLAGS = {
  http: flag({
    name: 'http', env: 'SINKHOLE_HTTP', value: 'HOST:PORT', group: 'http', defaultText: '(off)', parse: parseHostPort,
    help: 'Serve /metrics, /healthz, /mode, /attempts and /transactions over HTTP. Beyond loopback every route needs the token, and the server refuses to start without --http-token-file.',
  }),
  httpTokenFile: flag({
    name: 'http-token-file', env: 'SINKHOLE_HTTP_TOKEN_FILE', value: 'PATH', group: 'http', defaultText: '(none)',
    parse: (text) => (text.length > 0 ? { ok: true, value: text } : { ok: false, problem: 'expected a file path' }),
    help: 'File holding the bearer token (16 to 4096 printable characters; surrounding white space is ignored). PUT /mode and DELETE /attempts always need it.',
  }),
  httpMaxBody: flag({
    name: 'http-max-body', env: 'SINKHOLE_HTTP_MAX_BODY', value: 'SIZE', group: 'http', defaultText: formatByteSize(DEFAULT_HTTP_LIMITS.maxBodyBytes),
    parse: inRange(parseByteSize, 1, 16 * 1024 * 1024), help: 'Largest HTTP request body (PUT /mode); larger ones get 413.',
  }),
  httpHeaderTimeout: flag({
    name: 'http-header-timeout', env: 'SINKHOLE_HTTP_HEADER_TIMEOUT', value: 'DURATION', group: 'http',
    defaultText: formatDuration(DEFAULT_HTTP_LIMITS.headersTimeoutMs), parse: inRange(parseDuration, 1, 600_000, ' ms'),
    help: 'Time a client has to send its request headers, however slowly it trickles them; then it is disconnected.',
  }),
  httpMaxWait: flag({
    name: 'http-max-wait', env: 'SINKHOLE_HTTP_MAX_WAIT', value: 'DURATION', group: 'http',
    defaultText: formatDuration(DEFAULT_HTTP_LIMITS.maxWaitMs), parse: inRange(parseDuration, 0, 600_000, ' ms'),
    help: 'Longest wait= a GET /transactions may ask for; more is a 400.',
  }),
  httpMaxConnections: flag({
    name: 'http-max-connections', env: 'SINKHOLE_HTTP_MAX_CONNECTIONS', value: 'N', group: 'http',
    defaultText: String(DEFAULT_HTTP_LIMITS.maxConnections), parse: inRange(parseCount, 1, 100_000),
    help: 'Concurrent HTTP connections; more are closed at once.',
  }),
  httpTransactions: flag({
    name: 'http-transactions', env: 'SINKHOLE_HTTP_TRANSACTIONS', value: 'N', group: 'http',
    defaultText: String(DEFAULT_TRANSACTION_RING.maxEntries), parse: inRange(parseCount, 1, 1_000_000),
    help: 'Accepted transactions kept for GET /transactions; the oldest go first.',
  }),
  httpTransactionsBytes: flag({
    name: 'http-transactions-bytes', env: 'SINKHOLE_HTTP_TRANSACTIONS_BYTES', value: 'SIZE', group: 'http',
    defaultText: formatByteSize(DEFAULT_TRANSACTION_RING.maxBytes), parse: inRange(parseByteSize, 1024, MAX),
    help: 'Memory those transactions may hold (envelopes, and headers in accept-log mode); past it the oldest go first.',
  }),
};
