import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CHECK_FLAGS } from '../../src/cli/check-flags.js';
import { parseCommandLine, type Command } from '../../src/cli/command-line.js';
import { runCli } from '../../src/cli/run-cli.js';
import type { ServerConfig } from '../../src/cli/server-config.js';
import { SERVER_FLAGS } from '../../src/cli/server-flags.js';
import { UsageError } from '../../src/cli/usage-error.js';

function serve(argv: readonly string[], env: NodeJS.ProcessEnv = {}): ServerConfig {
  const command = parseCommandLine(argv, env);
  if (command.kind !== 'serve') throw new Error(`expected serve, got ${command.kind}`);
  return command.config;
}

function usageError(argv: readonly string[], env: NodeJS.ProcessEnv = {}): string {
  try {
    parseCommandLine(argv, env);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`no usage error for ${JSON.stringify(argv)} ${JSON.stringify(env)}`);
}

/** Per value flag: extra args it needs, a good value and how it shows in the config, and bad values. */
interface FlagCase {
  readonly context?: readonly string[];
  readonly good: string;
  readonly pick: (config: ServerConfig) => unknown;
  readonly expected: unknown;
  readonly bad: readonly string[];
}

const TOKEN = 'cli-test-token-0123456789';
const TOKEN_FILE = join(mkdtempSync(join(tmpdir(), 'sinkhole-cli-')), 'token');
writeFileSync(TOKEN_FILE, `${TOKEN}\n`);
const HTTP = ['--http', '127.0.0.1:0'];

const CASES: Readonly<Record<string, FlagCase>> = {
  host: { good: '0.0.0.0', pick: (c) => c.host, expected: '0.0.0.0', bad: ['', 'two words'] },
  port: { good: '2525', pick: (c) => c.port, expected: 2525, bad: ['65536', '-1', 'smtp', '25.5'] },
  hostname: { good: 'sink.test', pick: (c) => c.hostname, expected: 'sink.test', bad: ['has space', 'é.test'] },
  extensions: {
    good: 'default,-8bitmime',
    pick: (c) => c.extensions?.eightBitMime,
    expected: false,
    bad: ['starttls', 'size,,dsn', 'none,size'],
  },
  tls: { good: 'Required', pick: (c) => c.tls, expected: { mode: 'required', certFile: undefined, keyFile: undefined }, bad: ['yes', 'starttls'] },
  'tls-cert': {
    context: ['--tls', 'on', '--tls-key', '/k.pem'],
    good: '/c.pem',
    pick: (c) => c.tls,
    expected: { mode: 'on', certFile: '/c.pem', keyFile: '/k.pem' },
    bad: [''],
  },
  'tls-key': {
    context: ['--tls', 'on', '--tls-cert', '/c.pem'],
    good: '/k.pem',
    pick: (c) => c.tls?.keyFile,
    expected: '/k.pem',
    bad: [''],
  },
  'tls-handshake-timeout': { good: '5s', pick: (c) => c.limits.tlsHandshakeTimeoutMs, expected: 5_000, bad: ['0s', 'soon'] },
  'max-tls-handshakes': { good: '8', pick: (c) => c.limits.maxTlsHandshakes, expected: 8, bad: ['0', 'x'] },
  auth: { good: 'ANY', pick: (c) => c.auth, expected: true, bad: ['plain', 'yes'] },
  protocol: { good: 'LMTP', pick: (c) => c.protocol, expected: 'lmtp', bad: ['esmtp', 'lhlo'] },
  'mode-source': { good: 'ssm', pick: (c) => c.modeSource.kind, expected: 'ssm', bad: ['s3', 'environment'] },
  mode: {
    good: 'reply:452 4.2.2 Mailbox full',
    pick: (c) => c.modeSource,
    expected: { kind: 'env', mode: { kind: 'reply', code: 452, enhanced: '4.2.2', text: 'Mailbox full' } },
    bad: ['acept', 'reply:452 5.2.2 Mailbox full', 'reply:299 2.0.0 x', '{"kind":"defer"}'],
  },
  'mode-file': {
    context: ['--mode-source', 'file'],
    good: '/run/sinkhole/mode',
    pick: (c) => c.modeSource,
    expected: { kind: 'file', path: '/run/sinkhole/mode', cacheTtlMs: 0 },
    bad: [''],
  },
  'ssm-parameter': {
    context: ['--mode-source', 'ssm'],
    good: '/cabal/other_mode',
    pick: (c) => c.modeSource,
    expected: { kind: 'ssm', parameter: '/cabal/other_mode', cacheTtlMs: 30_000 },
    bad: ['has space', 'semi;colon'],
  },
  'cache-ttl': {
    context: ['--mode-source', 'ssm'],
    good: '5s',
    pick: (c) => (c.modeSource.kind === 'ssm' ? c.modeSource.cacheTtlMs : undefined),
    expected: 5_000,
    bad: ['soon', '-5s', '5d'],
  },
  'greylist-window': { good: '1h', pick: (c) => c.greylist.windowMs, expected: 3_600_000, bad: ['0s', 'long'] },
  'greylist-min-delay': { good: '5m', pick: (c) => c.greylist.minDelayMs, expected: 300_000, bad: ['-1s', 'never'] },
  'greylist-code': { good: '451', pick: (c) => c.greylist.code, expected: 451, bad: ['450', '550', 'x'] },
  'greylist-key': { good: 'triplet', pick: (c) => c.greylist.key, expected: 'triplet', bad: ['ip+from+to', 'sender'] },
  'greylist-max-entries': { good: '500', pick: (c) => c.greylist.maxEntries, expected: 500, bad: ['0', 'lots', '1.5'] },
  'address-scripts': { good: 'OFF', pick: (c) => c.addressScripts, expected: false, bad: ['no', '0'] },
  'ledger-max-entries': { good: '50', pick: (c) => c.ledger.maxEntries, expected: 50, bad: ['0', 'many'] },
  'ledger-max-age': { good: '2h', pick: (c) => c.ledger.maxAgeMs, expected: 7_200_000, bad: ['0s', 'forever'] },
  'ledger-max-history': { good: '5', pick: (c) => c.ledger.maxHistory, expected: 5, bad: ['0', '10001'] },
  io: { good: 'sockets', pick: (c) => c.io, expected: 'sockets', bad: ['raw', 'handles', ''] },
  'listen-backlog': { good: '8192', pick: (c) => c.listenBacklog, expected: 8192, bad: ['0', '-1', 'deep', '2147483648'] },
  'max-connections': { good: '10', pick: (c) => c.limits.maxConnections, expected: 10, bad: ['0', 'x'] },
  'max-message-size': { good: '10m', pick: (c) => c.limits.maxMessageSize, expected: 10 * 1024 * 1024, bad: ['0', '1.5m', 'big'] },
  'max-recipients': { good: '100', pick: (c) => c.limits.maxRecipients, expected: 100, bad: ['0', '-3'] },
  'max-line-length': { good: '1k', pick: (c) => c.limits.maxLineLength, expected: 1024, bad: ['511', 'x'] },
  'max-header-bytes': { good: '8k', pick: (c) => c.limits.maxHeaderBytes, expected: 8192, bad: ['-1', '8 k'] },
  'max-header-bytes-total': { good: '4m', pick: (c) => c.limits.maxHeaderBytesTotal, expected: 4 * 1024 * 1024, bad: ['-1', 'lots'] },
  'max-protocol-errors': { good: '5', pick: (c) => c.limits.maxProtocolErrors, expected: 5, bad: ['-1', 'few'] },
  'idle-timeout': { good: '10m', pick: (c) => c.limits.idleTimeoutMs, expected: 600_000, bad: ['0', 'forever'] },
  'close-drain': { good: '2s', pick: (c) => c.limits.closeDrainMs, expected: 2_000, bad: ['x', '-1'] },
  'log-level': { good: 'WARN', pick: (c) => c.logLevel, expected: 'warn', bad: ['verbose', 'trace'] },
  'shutdown-grace': { good: '110s', pick: (c) => c.shutdownGraceMs, expected: 110_000, bad: ['x', '1y'] },
  environment: { good: 'stage', pick: (c) => c.environment, expected: 'stage', bad: [] },
  http: { good: '[::1]:9090', pick: (c) => c.http && { host: c.http.host, port: c.http.port }, expected: { host: '::1', port: 9090 }, bad: ['9090', 'h:65536', 'a b:1'] },
  'http-token-file': { context: HTTP, good: TOKEN_FILE, pick: (c) => c.http?.token, expected: TOKEN, bad: [''] },
  'http-max-body': { context: HTTP, good: '1k', pick: (c) => c.http?.limits.maxBodyBytes, expected: 1024, bad: ['0', 'big', '17m'] },
  'http-header-timeout': { context: HTTP, good: '2s', pick: (c) => c.http?.limits.headersTimeoutMs, expected: 2_000, bad: ['0', 'x', '11m'] },
  'http-max-wait': { context: HTTP, good: '30s', pick: (c) => c.http?.limits.maxWaitMs, expected: 30_000, bad: ['x', '11m'] },
  'http-max-connections': { context: HTTP, good: '8', pick: (c) => c.http?.limits.maxConnections, expected: 8, bad: ['0', 'x'] },
  'http-transactions': { context: HTTP, good: '50', pick: (c) => c.http?.transactions.maxEntries, expected: 50, bad: ['0', 'x'] },
  'http-transactions-bytes': { context: HTTP, good: '1m', pick: (c) => c.http?.transactions.maxBytes, expected: 1024 * 1024, bad: ['1', 'x'] },
};

const valueFlags = Object.values(SERVER_FLAGS).filter((spec) => spec.value !== undefined);

describe('server flags', () => {
  it('every value flag has a case here (so a new flag cannot go untested)', () => {
    expect(Object.keys(CASES).sort()).toEqual(valueFlags.map((s) => s.name).sort());
  });

  for (const spec of valueFlags) {
    const c = CASES[spec.name] as FlagCase;
    const context = c.context ?? [];
    it(`--${spec.name} and ${String(spec.env)} set the same value`, () => {
      expect(c.pick(serve([...context, `--${spec.name}`, c.good]))).toEqual(c.expected);
      expect(c.pick(serve([...context, `--${spec.name}=${c.good}`]))).toEqual(c.expected);
      expect(c.pick(serve(context, { [spec.env as string]: c.good }))).toEqual(c.expected);
    });
    for (const bad of c.bad) {
      it(`--${spec.name} ${JSON.stringify(bad)} is a usage error naming the flag and the value`, () => {
        expect(usageError([...context, `--${spec.name}=${bad}`])).toMatch(new RegExp(`^--${spec.name}: .+; got ${escapeRegExp(JSON.stringify(bad))}$`));
        if (bad !== '') {
          expect(usageError(context, { [spec.env as string]: bad })).toMatch(new RegExp(`^${spec.env as string}: `));
        }
      });
    }
  }

  it('defaults: 127.0.0.1:25, env source in defer, the plan greylist, 100 s grace, info', () => {
    expect(serve([])).toEqual({
      host: '127.0.0.1',
      port: 25,
      listenBacklog: undefined,
      io: 'auto',
      hostname: undefined,
      modeSource: { kind: 'env', mode: { kind: 'defer' } },
      greylist: { windowMs: 1_800_000, minDelayMs: 0, code: 421, key: 'ip', maxEntries: 100_000 },
      addressScripts: true,
      auth: false,
      protocol: 'smtp',
      ledger: { maxEntries: 10_000, maxAgeMs: 86_400_000, maxHistory: 20 },
      limits: {},
      shutdownGraceMs: 100_000,
      logLevel: 'info',
      environment: undefined,
      http: undefined,
    });
  });

  it('a flag wins over its variable, and an empty variable counts as unset', () => {
    expect(serve(['--port', '2526'], { SINKHOLE_PORT: '2525' }).port).toBe(2526);
    expect(serve([], { SINKHOLE_PORT: '' }).port).toBe(25);
  });

  it('the mode variable is ignored (not even parsed) by the file and ssm sources', () => {
    expect(serve(['--mode-source', 'ssm'], { SINKHOLE_MODE: 'garbage' }).modeSource.kind).toBe('ssm');
  });

  it('the file source needs a path, and a file TTL of 0 means re-read per connection', () => {
    expect(usageError(['--mode-source', 'file'])).toContain('--mode-source file needs --mode-file PATH');
    expect(serve(['--mode-source', 'file', '--mode-file', '/m', '--cache-ttl', '0s']).modeSource).toEqual({ kind: 'file', path: '/m', cacheTtlMs: 0 });
  });

  it('flags that do not apply to the chosen source are refused', () => {
    expect(usageError(['--mode-file', '/m'])).toBe('--mode-file does not apply to --mode-source env; it needs --mode-source file');
    expect(usageError(['--cache-ttl', '1s'])).toContain('--cache-ttl does not apply to --mode-source env');
    expect(usageError(['--mode-source', 'ssm', '--mode', 'accept'])).toContain('--mode does not apply to --mode-source ssm');
    expect(usageError(['--mode-source', 'file', '--mode-file', '/m', '--ssm-parameter', '/x'])).toContain('--ssm-parameter does not apply');
  });

  it('a greylist minimum delay that is not shorter than the window is refused', () => {
    expect(usageError(['--greylist-window', '5m', '--greylist-min-delay', '5m'])).toContain('must be shorter than the window');
  });

  it('a value that starts with a dash must be attached with =', () => {
    expect(usageError(['--port', '-1'])).toContain("Option '--port' argument is ambiguous");
  });

  it('unknown flags, missing values and stray arguments are usage errors', () => {
    expect(usageError(['--colour'])).toContain("Unknown option '--colour'");
    expect(usageError(['--port'])).toContain("Option '--port <value>' argument missing");
    expect(usageError(['serve'])).toContain('unexpected argument "serve"');
    expect(usageError(['--help=yes'])).toContain('--help');
  });

  it('--help and -h print the help, --version the version', () => {
    const help = parseCommandLine(['-h'], {}) as Extract<Command, { kind: 'help' }>;
    expect(help.kind).toBe('help');
    for (const spec of Object.values(SERVER_FLAGS)) expect(help.text).toContain(`--${spec.name}`);
    expect(parseCommandLine(['--version'], {})).toEqual({ kind: 'version' });
  });
});

describe('check command', () => {
  it('defaults to 127.0.0.1:25 within 5 s, and reads the server variables', () => {
    expect(parseCommandLine(['check'], {})).toEqual({ kind: 'check', options: { host: '127.0.0.1', port: 25, timeoutMs: 5_000 } });
    expect(parseCommandLine(['check'], { SINKHOLE_HOST: '0.0.0.0', SINKHOLE_PORT: '2525' })).toEqual({
      kind: 'check',
      options: { host: '127.0.0.1', port: 2525, timeoutMs: 5_000 },
    });
    expect(parseCommandLine(['check', '--host', '::', '--timeout', '2s'], {})).toMatchObject({ options: { host: '::1', timeoutMs: 2_000 } });
  });

  it('takes only its own flags', () => {
    expect(Object.values(CHECK_FLAGS).map((s) => s.name)).toEqual(['host', 'port', 'timeout', 'help']);
    expect(usageError(['check', '--mode-source', 'env'])).toContain("Unknown option '--mode-source'");
    expect(usageError(['check', '--timeout', '0'])).toContain('--timeout: must be');
    expect(usageError(['check', 'now'])).toContain('unexpected argument "now"');
  });
});

describe('runCli exit statuses', () => {
  async function run(argv: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ status: number; stdout: string; stderr: string }> {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (d: Buffer) => (out += d.toString()));
    stderr.on('data', (d: Buffer) => (err += d.toString()));
    const status = await runCli(argv, { stdout, stderr, env, onStopSignal: () => undefined });
    return { status, stdout: out, stderr: err };
  }

  it('2 for a bad value, with the message and a pointer to --help on stderr', async () => {
    const result = await run(['--port', 'x']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('sinkhole-server: --port: expected a whole number; got "x"\nRun "sinkhole-server --help" for the flags and accepted values.\n');
    expect(result.stdout).toBe('');
  });

  it('3 when SINKHOLE_ENVIRONMENT or --environment is prod or production, in any case', async () => {
    for (const [argv, env] of [[[], { SINKHOLE_ENVIRONMENT: 'prod' }], [['--environment', 'Production'], {}], [[], { SINKHOLE_ENVIRONMENT: ' PROD ' }]] as const) {
      const result = await run(argv, env);
      expect(result.status).toBe(3);
      expect(result.stderr).toContain('must never run in production');
    }
  });

  it('0 for --help and --version', async () => {
    expect((await run(['--help'])).status).toBe(0);
    expect(await run(['--version'])).toEqual({ status: 0, stdout: '0.1.0\n', stderr: '' });
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('TLS flags together', () => {
  it('--tls-cert without --tls-key (or the reverse) is a usage error', () => {
    expect(usageError(['--tls', 'on', '--tls-cert', '/c.pem'])).toMatch(/--tls-cert and --tls-key go together/);
  });
  it('--tls-cert with --tls off is a usage error', () => {
    expect(usageError(['--tls-cert', '/c.pem', '--tls-key', '/k.pem'])).toMatch(/need --tls on or --tls required/);
  });
  it('--tls off is no TLS at all', () => {
    expect(serve(['--tls', 'off']).tls).toBeUndefined();
  });
});
