import { DEFAULT_LIMITS, DEFAULT_LISTEN_BACKLOG, MAX_LISTEN_BACKLOG } from '@sinkhole/smtp-core';
import { DEFAULT_SSM_PARAMETER } from '@sinkhole/mode-providers';
import type { Mode } from '../mode/mode.js';
import { parseMode } from '../mode/parse-mode.js';
import { DEFAULT_GREYLIST } from '../greylist/greylist-options.js';
import { DEFAULT_LEDGER } from '../ledger/ledger-options.js';
import { LOG_LEVELS } from '../log/log-level.js';
import { booleanFlag, flag, inRange, oneOf, type FlagSpec } from './flag-spec.js';
import { PROTOCOL_FLAGS } from './protocol-flags.js';
import { HTTP_FLAGS } from './http-flags.js';
import { formatByteSize, formatDuration, parseByteSize, parseCount, parseDuration, type ValueResult } from './values.js';

export const MODE_SOURCES = ['env', 'file', 'ssm', 'api'] as const;
export type ModeSourceKind = (typeof MODE_SOURCES)[number];

/** The default shutdown grace: inside ECS's 120 s stopTimeout, with room for the process to exit. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 100_000;
export const DEFAULT_SSM_CACHE_TTL_MS = 30_000;
/** The file source costs one stat per connection, so a write shows at the next connection. */
export const DEFAULT_FILE_CACHE_TTL_MS = 0;
export const DEFAULT_PORT = 25;
export const DEFAULT_HOST = '127.0.0.1';

const MAX = Number.MAX_SAFE_INTEGER;

function parseHost(text: string): ValueResult<string> {
  const value = text.trim();
  return value.length > 0 && !/\s/.test(value)
    ? { ok: true, value }
    : { ok: false, problem: 'expected an IP address or host name to listen on, such as 0.0.0.0, 127.0.0.1 or ::' };
}

function parseGreetingName(text: string): ValueResult<string> {
  const value = text.trim();
  return /^[\x21-\x7e]{1,255}$/.test(value)
    ? { ok: true, value }
    : { ok: false, problem: 'expected a host name of printable ASCII without spaces (at most 255 characters)' };
}

function parseModeText(text: string): ValueResult<Mode> {
  const parsed = parseMode(text);
  return parsed.ok ? { ok: true, value: parsed.mode } : { ok: false, problem: parsed.error.message };
}

function parseSsmName(text: string): ValueResult<string> {
  const value = text.trim();
  // SSM parameter names: letters, digits and . - _ /, at most 2048 characters.
  return /^[A-Za-z0-9_.\-/]{1,2048}$/.test(value)
    ? { ok: true, value }
    : { ok: false, problem: 'expected an SSM parameter name such as /cabal/sinkhole_mode (letters, digits, . - _ /)' };
}

function parsePath(text: string): ValueResult<string> {
  return text.length > 0 ? { ok: true, value: text } : { ok: false, problem: 'expected a file path' };
}

const durationAtLeast = (min: number): ((text: string) => ValueResult<number>) => inRange(parseDuration, min, MAX, ' ms');

/** Every flag of the server command, in --help order. */
export const SERVER_FLAGS = {
  host: flag({
    name: 'host', env: 'SINKHOLE_HOST', value: 'HOST', group: 'listener', defaultText: DEFAULT_HOST, parse: parseHost,
    help: 'Address to listen on. The container image sets 0.0.0.0.',
  }),
  port: flag({
    name: 'port', env: 'SINKHOLE_PORT', value: 'PORT', group: 'listener', defaultText: String(DEFAULT_PORT),
    parse: inRange(parseCount, 0, 65_535), help: 'TCP port; 0 picks a free one (read it from the "listening" log line).',
  }),
  listenBacklog: flag({
    name: 'listen-backlog', env: 'SINKHOLE_LISTEN_BACKLOG', value: 'N', group: 'listener',
    defaultText: `${DEFAULT_LISTEN_BACKLOG}, or net.core.somaxconn if larger`, parse: inRange(parseCount, 1, MAX_LISTEN_BACKLOG),
    help: 'Connections the kernel queues before the server accepts them; past it a burst of connects is dropped and retried seconds later. The kernel caps it at net.core.somaxconn.',
  }),
  io: flag({
    name: 'io', env: 'SINKHOLE_IO', value: 'auto|sockets', group: 'listener', defaultText: 'auto', parse: oneOf(['auto', 'sockets'] as const),
    help: 'What carries the connections. auto: plain TCP connections run on libuv handles directly, without a net.Socket each (less memory and CPU per connection), when this Node allows it and TLS is off; sockets: a net.Socket per connection. The listening line says which is in force.',
  }),
  hostname: flag({
    name: 'hostname', env: 'SINKHOLE_HOSTNAME', value: 'NAME', group: 'listener', defaultText: 'os.hostname()',
    parse: parseGreetingName, help: 'Name in the 220 greeting and the EHLO reply.',
  }),
  ...PROTOCOL_FLAGS,
  modeSource: flag({
    name: 'mode-source', env: 'SINKHOLE_MODE_SOURCE', value: 'SOURCE', group: 'mode', defaultText: 'env',
    parse: oneOf(MODE_SOURCES),
    help: 'Where the mode comes from: env (SINKHOLE_MODE or --mode, fixed for the life of the process), file (--mode-file), ssm (--ssm-parameter) or api (PUT /mode over --http; defer until the first PUT).',
  }),
  mode: flag({
    name: 'mode', env: 'SINKHOLE_MODE', value: 'MODE', group: 'mode', defaultText: 'defer', parse: parseModeText,
    help: 'The mode for --mode-source env: defer, bounce, accept, accept-log, greylist, "reply:<code> <x.y.z> <text>" or a JSON scenario document.',
  }),
  modeFile: flag({
    name: 'mode-file', env: 'SINKHOLE_MODE_FILE', value: 'PATH', group: 'mode', defaultText: '(required with file)',
    parse: parsePath, help: 'File holding the mode text; a stat per new connection, re-read when its inode, size or times changed (replace it atomically: write, then rename).',
  }),
  ssmParameter: flag({
    name: 'ssm-parameter', env: 'SINKHOLE_SSM_PARAMETER', value: 'NAME', group: 'mode', defaultText: DEFAULT_SSM_PARAMETER,
    parse: parseSsmName, help: 'SSM String parameter holding the mode (region and credentials from the AWS SDK chain).',
  }),
  cacheTtl: flag({
    name: 'cache-ttl', env: 'SINKHOLE_CACHE_TTL', value: 'DURATION', group: 'mode',
    defaultText: `${formatDuration(DEFAULT_SSM_CACHE_TTL_MS)} (ssm), ${formatDuration(DEFAULT_FILE_CACHE_TTL_MS)} (file)`,
    parse: durationAtLeast(0), help: 'How long a mode read from the file or SSM is reused; 0 asks again for every new connection (for the file: one stat, and a read only when it changed).',
  }),
  greylistWindow: flag({
    name: 'greylist-window', env: 'SINKHOLE_GREYLIST_WINDOW', value: 'DURATION', group: 'greylist',
    defaultText: formatDuration(DEFAULT_GREYLIST.windowMs), parse: durationAtLeast(1),
    help: 'How long after its first attempt a client (or triplet) is remembered; retries inside it pass, after it the client is new again.',
  }),
  greylistMinDelay: flag({
    name: 'greylist-min-delay', env: 'SINKHOLE_GREYLIST_MIN_DELAY', value: 'DURATION', group: 'greylist',
    defaultText: formatDuration(DEFAULT_GREYLIST.minDelayMs), parse: durationAtLeast(0),
    help: 'How long after the first attempt a retry must come to pass; earlier retries are greylisted again.',
  }),
  greylistCode: flag({
    name: 'greylist-code', env: 'SINKHOLE_GREYLIST_CODE', value: '421|451', group: 'greylist',
    defaultText: String(DEFAULT_GREYLIST.code), parse: (text) => {
      const r = oneOf(['421', '451'] as const)(text);
      return r.ok ? { ok: true, value: Number(r.value) as 421 | 451 } : r;
    },
    help: 'Reply code for a greylisted RCPT TO (enhanced code 4.7.1): 421 also closes the connection, 451 does not.',
  }),
  greylistKey: flag({
    name: 'greylist-key', env: 'SINKHOLE_GREYLIST_KEY', value: 'ip|triplet', group: 'greylist',
    defaultText: DEFAULT_GREYLIST.key, parse: oneOf(['ip', 'triplet'] as const),
    help: 'What is remembered: the client IP, or the client IP + MAIL FROM + RCPT TO triplet that real greylisters use.',
  }),
  greylistMaxEntries: flag({
    name: 'greylist-max-entries', env: 'SINKHOLE_GREYLIST_MAX_ENTRIES', value: 'N', group: 'greylist',
    defaultText: String(DEFAULT_GREYLIST.maxEntries), parse: inRange(parseCount, 1, MAX),
    help: 'Size bound of the greylist table; the oldest entries are evicted first.',
  }),
  addressScripts: flag({
    name: 'address-scripts', env: 'SINKHOLE_ADDRESS_SCRIPTS', value: 'on|off', group: 'scenarios', defaultText: 'on',
    parse: (text) => {
      const r = oneOf(['on', 'off'] as const)(text);
      return r.ok ? { ok: true, value: r.value === 'on' } : r;
    },
    help: 'A recipient whose local part ends in +SCRIPT (e.g. qp+421x2.250@...) follows that script; off: every recipient gets the mode.',
  }),
  ledgerMaxEntries: flag({
    name: 'ledger-max-entries', env: 'SINKHOLE_LEDGER_MAX_ENTRIES', value: 'N', group: 'scenarios',
    defaultText: String(DEFAULT_LEDGER.maxEntries), parse: inRange(parseCount, 1, MAX),
    help: 'Keys the attempt ledger remembers; past it the key attempted least recently is evicted first.',
  }),
  ledgerMaxAge: flag({
    name: 'ledger-max-age', env: 'SINKHOLE_LEDGER_MAX_AGE', value: 'DURATION', group: 'scenarios',
    defaultText: formatDuration(DEFAULT_LEDGER.maxAgeMs), parse: durationAtLeast(1),
    help: 'A ledger key not attempted for this long is forgotten: its scripts start again at attempt 1.',
  }),
  ledgerMaxHistory: flag({
    name: 'ledger-max-history', env: 'SINKHOLE_LEDGER_MAX_HISTORY', value: 'N', group: 'scenarios',
    defaultText: String(DEFAULT_LEDGER.maxHistory), parse: inRange(parseCount, 1, 10_000),
    help: 'Attempts kept (time, outcome, client, connection) per ledger key; the count goes on past it.',
  }),
  maxConnections: flag({
    name: 'max-connections', env: 'SINKHOLE_MAX_CONNECTIONS', value: 'N', group: 'limits',
    defaultText: String(DEFAULT_LIMITS.maxConnections), parse: inRange(parseCount, 1, MAX),
    help: 'Concurrent connections; one more gets 421 4.7.0 and is closed.',
  }),
  maxMessageSize: flag({
    name: 'max-message-size', env: 'SINKHOLE_MAX_MESSAGE_SIZE', value: 'SIZE', group: 'limits',
    defaultText: formatByteSize(DEFAULT_LIMITS.maxMessageSize), parse: inRange(parseByteSize, 1, MAX),
    help: 'Largest message body, advertised as SIZE; larger ones get 552 5.3.4.',
  }),
  maxRecipients: flag({
    name: 'max-recipients', env: 'SINKHOLE_MAX_RECIPIENTS', value: 'N', group: 'limits',
    defaultText: String(DEFAULT_LIMITS.maxRecipients), parse: inRange(parseCount, 1, MAX),
    help: 'RCPT TO per transaction; more get 452 4.5.3.',
  }),
  maxLineLength: flag({
    name: 'max-line-length', env: 'SINKHOLE_MAX_LINE_LENGTH', value: 'SIZE', group: 'limits',
    defaultText: formatByteSize(DEFAULT_LIMITS.maxLineLength), parse: inRange(parseByteSize, 512, MAX),
    help: 'Longest command line including CRLF (RFC 5321 minimum 512); longer ones get 500 5.5.2.',
  }),
  maxHeaderBytes: flag({
    name: 'max-header-bytes', env: 'SINKHOLE_MAX_HEADER_BYTES', value: 'SIZE', group: 'limits',
    defaultText: formatByteSize(DEFAULT_LIMITS.maxHeaderBytes), parse: inRange(parseByteSize, 0, MAX),
    help: 'Header bytes logged per message in accept-log mode; the rest is cut (headersTruncated: true).',
  }),
  maxHeaderBytesTotal: flag({
    name: 'max-header-bytes-total', env: 'SINKHOLE_MAX_HEADER_BYTES_TOTAL', value: 'SIZE', group: 'limits',
    defaultText: formatByteSize(DEFAULT_LIMITS.maxHeaderBytesTotal), parse: inRange(parseByteSize, 0, MAX),
    help: 'Header bytes all messages in flight may hold together in accept-log mode; past it headers are cut too, so stalled clients cannot pile them up.',
  }),
  maxProtocolErrors: flag({
    name: 'max-protocol-errors', env: 'SINKHOLE_MAX_PROTOCOL_ERRORS', value: 'N', group: 'limits',
    defaultText: String(DEFAULT_LIMITS.maxProtocolErrors), parse: inRange(parseCount, 0, MAX),
    help: 'Syntax and sequence errors per session before 421 4.7.0 and a close.',
  }),
  idleTimeout: flag({
    name: 'idle-timeout', env: 'SINKHOLE_IDLE_TIMEOUT', value: 'DURATION', group: 'limits',
    defaultText: formatDuration(DEFAULT_LIMITS.idleTimeoutMs), parse: durationAtLeast(1),
    help: 'Inactivity before 421 4.4.2 and a close (RFC 5321 asks for at least 5m).',
  }),
  closeDrain: flag({
    name: 'close-drain', env: 'SINKHOLE_CLOSE_DRAIN', value: 'DURATION', group: 'limits',
    defaultText: formatDuration(DEFAULT_LIMITS.closeDrainMs), parse: durationAtLeast(0),
    help: 'After a 421 or QUIT, how long unread input is drained before the socket is dropped.',
  }),
  logLevel: flag({
    name: 'log-level', env: 'SINKHOLE_LOG_LEVEL', value: 'LEVEL', group: 'logging', defaultText: 'info',
    parse: oneOf(LOG_LEVELS), help: 'debug, info, warn or error; warn drops the per-connection and per-message lines.',
  }),
  ...HTTP_FLAGS,
  shutdownGrace: flag({
    name: 'shutdown-grace', env: 'SINKHOLE_SHUTDOWN_GRACE', value: 'DURATION', group: 'lifecycle',
    defaultText: formatDuration(DEFAULT_SHUTDOWN_GRACE_MS), parse: durationAtLeast(0),
    help: 'On SIGTERM/SIGINT, how long sessions in DATA may take to finish before they are cut (keep it below ECS stopTimeout).',
  }),
  environment: flag({
    name: 'environment', env: 'SINKHOLE_ENVIRONMENT', value: 'NAME', group: 'lifecycle', defaultText: '(unset)',
    parse: (text) => ({ ok: true, value: text.trim() }),
    help: 'Deployment environment; the server refuses to start (exit 3) when it is prod or production.',
  }),
  help: booleanFlag('help', 'lifecycle', 'Print this help and exit.'),
  version: booleanFlag('version', 'lifecycle', 'Print the version and exit.'),
} satisfies Record<string, FlagSpec<unknown>>;

export type ServerFlags = typeof SERVER_FLAGS;
