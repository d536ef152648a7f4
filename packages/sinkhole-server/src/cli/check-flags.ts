import { booleanFlag, flag, inRange, type FlagSpec } from './flag-spec.js';
import { SERVER_FLAGS } from './server-flags.js';
import { formatDuration, parseDuration } from './values.js';

export const DEFAULT_CHECK_TIMEOUT_MS = 5_000;

/** Flags of `sinkhole-server check`; host and port share the server's variables, so the image needs no extra settings. */
export const CHECK_FLAGS = {
  host: flag({
    ...SERVER_FLAGS.host, group: 'check', defaultText: '127.0.0.1',
    help: 'Address to check; a wildcard (0.0.0.0 or ::) from SINKHOLE_HOST means the loopback address.',
  }),
  port: flag({ ...SERVER_FLAGS.port, group: 'check', help: 'Port to check.' }),
  timeout: flag({
    name: 'timeout', env: 'SINKHOLE_CHECK_TIMEOUT', value: 'DURATION', group: 'check',
    defaultText: formatDuration(DEFAULT_CHECK_TIMEOUT_MS), parse: inRange(parseDuration, 1, Number.MAX_SAFE_INTEGER, ' ms'),
    help: 'Longest wait for the whole check: connect, 220 greeting, QUIT.',
  }),
  help: booleanFlag('help', 'check', 'Print this help and exit.'),
} satisfies Record<string, FlagSpec<unknown>>;
