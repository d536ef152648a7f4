import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CHECK_FLAGS } from '../../src/cli/check-flags.js';
import { SERVER_FLAGS } from '../../src/cli/server-flags.js';
import { VERSION } from '../../src/version.js';
import { flagsMarkdown, flagsSection } from '../../scripts/readme-flags.js';

const packageDir = new URL('../../', import.meta.url);
const readme = await readFile(new URL('README.md', packageDir), 'utf8');

describe('README.md', () => {
  it('has the flag tables exactly as generated from the flag definitions (run scripts/update-readme-flags.ts)', () => {
    expect(flagsSection(readme)).toBe(flagsMarkdown().trim());
  });

  it('lists every flag and every variable', () => {
    for (const spec of [...Object.values(SERVER_FLAGS), ...Object.values(CHECK_FLAGS)]) {
      expect(readme).toContain(`--${spec.name}`);
      if (spec.env !== undefined) expect(readme).toContain(spec.env);
    }
  });

  it('documents every mode, every log message and the exit statuses', () => {
    for (const mode of ['`defer`', '`bounce`', '`accept`', '`accept-log`', '`greylist`', '`reply:<code> <x.y.z> <text>`']) expect(readme).toContain(mode);
    const messages = ['listening', 'connection', 'accepted', 'mode-changed', 'mode-provider-error', 'mode-provider-recovered', 'limit', 'hook-error', 'socket-error', 'shutting-down', 'stopped', 'forced-exit', 'start-failed', 'log-lines-dropped'];
    for (const msg of messages) expect(readme).toContain(`\`${msg}\``);
    expect(readme).toMatch(/`0` stopped cleanly.*`1` run-time failure.*`2` bad flag or value.*`3` refused/s);
  });

  it('has the measured memory figures, for env and ssm mode', () => {
    const start = readme.indexOf('<!-- rss:start -->');
    const end = readme.indexOf('<!-- rss:end -->');
    const figures = readme.slice(start, end);
    expect(figures).toMatch(/\| env \| \d+\.\d \|/);
    expect(figures).toMatch(/\| ssm \(stand-in, SDK loaded\) \| \d+\.\d \|/);
  });

  it('starts with the quick start, whose script runs the bundle on 127.0.0.1:2525 from the env source', async () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(firstBlock.trim().split('\n')).toEqual(['npx -y pnpm@10.34.9 install', 'npx -y pnpm@10.34.9 run sinkhole']);
    const pkg = JSON.parse(await readFile(new URL('package.json', packageDir), 'utf8')) as { version: string; scripts: Record<string, string> };
    expect(readme).toContain(pkg.scripts['sinkhole']);
    expect(pkg.scripts['sinkhole']).toBe('node build.mjs && node dist/sinkhole-server.mjs --host 127.0.0.1 --port 2525 --mode-source env');
    expect(VERSION).toBe(pkg.version);
  });

  it('shows the invocations other teams rely on, exactly', () => {
    expect(readme).toContain('SINKHOLE_MODE=accept node packages/sinkhole-server/dist/sinkhole-server.mjs --host 127.0.0.1 --port 2525 --mode-source env');
    expect(readme).toContain('--mode-source file --mode-file /path/to/mode');
    expect(readme).toContain('--mode-source ssm --ssm-parameter /cabal/sinkhole_mode --cache-ttl 30s');
  });
});
