import { CHECK_FLAGS, DEFAULT_CHECK_TIMEOUT_MS } from './check-flags.js';
import { readArgs } from './flag-reader.js';
import { helpText } from './help-text.js';
import { serverConfig } from './parse-server-args.js';
import type { ServerConfig } from './server-config.js';
import { DEFAULT_PORT, SERVER_FLAGS } from './server-flags.js';
import { UsageError } from './usage-error.js';

export interface CheckOptions {
  readonly host: string;
  readonly port: number;
  readonly timeoutMs: number;
}

export type Command =
  | { readonly kind: 'serve'; readonly config: ServerConfig }
  | { readonly kind: 'check'; readonly options: CheckOptions }
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'version' };

/** `sinkhole-server [flags]` or `sinkhole-server check [flags]`. Throws UsageError. */
export function parseCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv): Command {
  if (argv[0] === 'check') return parseCheck(argv.slice(1), env);
  const { reader, positionals } = readArgs(argv, SERVER_FLAGS, env);
  if (reader.boolean(SERVER_FLAGS.help)) return { kind: 'help', text: helpText('serve') };
  if (reader.boolean(SERVER_FLAGS.version)) return { kind: 'version' };
  if (positionals.length > 0) {
    throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}; the only command is "check", and flags start with --`);
  }
  return { kind: 'serve', config: serverConfig(reader) };
}

function parseCheck(argv: readonly string[], env: NodeJS.ProcessEnv): Command {
  const { reader, positionals } = readArgs(argv, CHECK_FLAGS, env);
  if (reader.boolean(CHECK_FLAGS.help)) return { kind: 'help', text: helpText('check') };
  if (positionals.length > 0) throw new UsageError(`check: unexpected argument ${JSON.stringify(positionals[0])}`);
  const host = reader.get(CHECK_FLAGS.host) ?? '127.0.0.1';
  return {
    kind: 'check',
    options: {
      host: loopbackFor(host),
      port: reader.get(CHECK_FLAGS.port) ?? DEFAULT_PORT,
      timeoutMs: reader.get(CHECK_FLAGS.timeout) ?? DEFAULT_CHECK_TIMEOUT_MS,
    },
  };
}

/** A wildcard listen address is reached through the loopback interface. */
export function loopbackFor(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '::1';
  return host;
}
