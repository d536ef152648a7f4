import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli/command-line.js';
import { runCli } from '../../src/cli/run-cli.js';
import { UsageError } from '../../src/cli/usage-error.js';
import { isLoopbackHost } from '../../src/http/http-options.js';

const dir = mkdtempSync(join(tmpdir(), 'sinkhole-http-flags-'));
function tokenFile(text: string): string {
  const path = join(dir, `t${Math.random().toString(36).slice(2)}`);
  writeFileSync(path, text);
  return path;
}

function usageError(argv: readonly string[], env: NodeJS.ProcessEnv = {}): string {
  try {
    parseCommandLine(argv, env);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`no usage error for ${JSON.stringify(argv)}`);
}

describe('--http and its token', () => {
  it('beyond loopback without a token file is refused, naming the flag', () => {
    expect(usageError(['--http', '0.0.0.0:9090'])).toMatch(/0\.0\.0\.0 is reachable beyond this host.*--http-token-file/);
    expect(usageError([], { SINKHOLE_HTTP: '10.0.0.5:9090' })).toMatch(/--http-token-file/);
    expect(usageError(['--http', 'sinkhole.internal:9090'])).toMatch(/every route needs a token/);
  });

  it('beyond loopback with a good token file starts; on loopback none is needed', () => {
    const command = parseCommandLine(['--http', '0.0.0.0:9090', '--http-token-file', tokenFile('  a-token-of-enough-length \n')], {});
    expect(command.kind === 'serve' && command.config.http?.token).toBe('a-token-of-enough-length');
    const loopback = parseCommandLine(['--http', '127.0.0.1:9090'], {});
    expect(loopback.kind === 'serve' && loopback.config.http).toMatchObject({ host: '127.0.0.1', port: 9090, token: undefined });
  });

  it('a token file that is missing, too short, too long or has spaces inside is refused with its path', () => {
    expect(usageError(['--http', '127.0.0.1:1', '--http-token-file', join(dir, 'missing')])).toMatch(/missing: cannot read it \(ENOENT\)/);
    expect(usageError(['--http', '127.0.0.1:1', '--http-token-file', tokenFile('short')])).toMatch(/at least 16 characters/);
    expect(usageError(['--http', '127.0.0.1:1', '--http-token-file', tokenFile('x'.repeat(5000))])).toMatch(/larger than a token/);
    expect(usageError(['--http', '127.0.0.1:1', '--http-token-file', tokenFile('two words in the token')])).toMatch(/printable ASCII without spaces/);
  });

  it('http flags without --http, and --mode-source api without --http, are refused', () => {
    expect(usageError(['--http-max-body', '1k'])).toBe('--http-max-body does not apply without --http HOST:PORT');
    expect(usageError(['--mode-source', 'api'])).toMatch(/--mode-source api needs --http/);
    expect(usageError(['--mode-source', 'api', '--http', '127.0.0.1:0', '--mode', 'accept'])).toMatch(/--mode does not apply to --mode-source api/);
    const api = parseCommandLine(['--mode-source', 'api', '--http', '127.0.0.1:0'], {});
    expect(api.kind === 'serve' && api.config.modeSource).toEqual({ kind: 'api' });
  });

  it('the program exits 2 with the message on stderr', async () => {
    const stderr = new PassThrough();
    let text = '';
    stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const status = await runCli(['--http', '0.0.0.0:9090'], { stdout: new PassThrough(), stderr, env: {}, onStopSignal: () => undefined });
    expect(status).toBe(2);
    expect(text).toMatch(/^sinkhole-server: .*--http-token-file/);
  });

  it('loopback is decided on literal addresses and localhost only', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', '::ffff:127.0.0.1', 'localhost', 'LOCALHOST']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', 'sinkhole.local', 'localhost.evil.test']) expect(isLoopbackHost(host), host).toBe(false);
  });
});
