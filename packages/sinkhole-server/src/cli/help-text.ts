import { CHECK_FLAGS } from './check-flags.js';
import type { FlagGroup, FlagSpec } from './flag-spec.js';
import { SERVER_FLAGS } from './server-flags.js';

const GROUP_TITLES: Readonly<Record<FlagGroup, string>> = {
  listener: 'Listener',
  protocol: 'Protocol and extensions',
  mode: 'Mode source',
  greylist: 'Greylist mode',
  scenarios: 'Scenarios and the attempt ledger',
  limits: 'Limits',
  logging: 'Logging',
  http: 'HTTP surface (metrics, health, control)',
  lifecycle: 'Lifecycle',
  check: 'Health check',
};

const SERVE_USAGE = `Usage: sinkhole-server [flags]
       sinkhole-server check [--host HOST] [--port PORT] [--timeout DURATION]

An SMTP sinkhole: every RCPT TO gets the reply of the current mode.
Modes: defer (default: 421 4.3.2 and close), bounce (550 5.1.1), accept, accept-log
(also logs envelope and headers), greylist (421 4.7.1 on a first attempt), or
"reply:<code> <x.y.z> <text>", or a JSON scenario document (README: Scenarios).
Recipients like qp+421x2.250@... follow their address script whatever the mode.
The mode is read once per new connection.

Every flag can also be set by the environment variable shown. Durations: 500ms, 30s,
5m, 1h or plain milliseconds. Sizes: bytes, or with k, m, g (1024-based).
Exit status: 0 stopped cleanly, 1 run-time failure, 2 bad flag or value, 3 refused (prod).`;

const CHECK_USAGE = `Usage: sinkhole-server check [flags]

Connects, waits for the 220 greeting, sends QUIT and exits 0; exits 1 on anything
else (refused, timeout, other greeting). For container health checks.`;

export function flagLabel(spec: FlagSpec<unknown>): string {
  const short = spec.name === 'help' ? '-h, ' : '';
  return `${short}--${spec.name}${spec.value === undefined ? '' : ` ${spec.value}`}`;
}

function renderGroups(flags: Readonly<Record<string, FlagSpec<unknown>>>): string {
  const specs = Object.values(flags);
  const width = Math.max(...specs.map((s) => flagLabel(s).length)) + 2;
  const groups = [...new Set(specs.map((s) => s.group))];
  return groups
    .map((group) => {
      const lines = specs
        .filter((s) => s.group === group)
        .map((s) => {
          const extra = [s.env === undefined ? '' : `env ${s.env}`, s.defaultText === '' ? '' : `default ${s.defaultText}`]
            .filter((t) => t !== '')
            .join('; ');
          const head = `  ${flagLabel(s).padEnd(width)}${s.help}`;
          return extra === '' ? head : `${head}\n  ${' '.repeat(width)}(${extra})`;
        });
      return `${GROUP_TITLES[group]}:\n${lines.join('\n')}`;
    })
    .join('\n\n');
}

/** The --help text of the server or of the check command. */
export function helpText(command: 'serve' | 'check'): string {
  return command === 'serve'
    ? `${SERVE_USAGE}\n\n${renderGroups(SERVER_FLAGS)}\n`
    : `${CHECK_USAGE}\n\n${renderGroups(CHECK_FLAGS)}\n`;
}
