// The image and the smtp-out side of deploy/: the Dockerfile, the mailertable line, the generate-config.sh
// block and the cleanup alarm's filter. The Terraform itself: terraform-module.test.ts, terraform-container.test.ts.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHECK_FLAGS } from '../../src/cli/check-flags.js';
import { SERVER_FLAGS } from '../../src/cli/server-flags.js';
import { dockerfileFinalStage } from '../support/dockerfile.js';
import { makeTempDir, removeDir } from '@sinkhole/test-kit';
import { MODULE_DIR, REPO, evaluateString, loadConfig } from '../support/terraform.js';

const read = (path: string): Promise<string> => readFile(new URL(path, REPO), 'utf8');
const run = promisify(execFile);

const KNOWN_VARIABLES = new Set([...Object.values(SERVER_FLAGS), ...Object.values(CHECK_FLAGS)].map((s) => s.env).filter((e) => e !== undefined));

describe('packages/sinkhole-server/Dockerfile', () => {
  it('ships the bundle only, on the official Node Alpine image by default, listening on 0.0.0.0:25', async () => {
    const image = dockerfileFinalStage(await read('packages/sinkhole-server/Dockerfile'));
    // One build argument, so CI can build on a local stand-in base (deploy/image/build-base.sh).
    expect(image.args).toEqual({ NODE_IMAGE: 'node:24-alpine' });
    expect(image.bases).toEqual(['node:24-alpine', 'node:24-alpine']);
    expect(image.copied).toEqual(['--from=build /src/packages/sinkhole-server/dist/sinkhole-server.mjs /app/sinkhole-server.mjs']);
    expect(image.run).toEqual([]);
    expect(image.env).toMatchObject({ SINKHOLE_HOST: '0.0.0.0', SINKHOLE_PORT: '25' });
    expect(image.expose).toEqual(['25']);
    expect(image.user).toBe('node');
    // No node flags: memory is bounded by the program itself, however it is started.
    expect(image.entrypoint).toEqual(['node', '/app/sinkhole-server.mjs']);
    for (const name of Object.keys(image.env)) if (name.startsWith('SINKHOLE_')) expect(KNOWN_VARIABLES).toContain(name);
  });
});

const mailertableLines = async (): Promise<string[]> =>
  (await read('deploy/sendmail/mailertable')).split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));

describe('deploy/sendmail/mailertable', () => {
  it('routes sinkhole.test to the Cloud Map name, bracketed (no MX lookup) and without a ":port"', async () => {
    const lines = await mailertableLines();
    expect(lines).toEqual(['sinkhole.test\tsmtp:[sinkhole.cabal.internal]']);
    const hostPart = lines[0]?.split(/\s+/)[1]?.split(':').slice(1) ?? [];
    // One host: a second ':' would name a fallback host, not a port.
    expect(hostPart).toEqual(['[sinkhole.cabal.internal]']);
  });

  it('names the host the Terraform module registers in Cloud Map and the sinkhole greets with', async () => {
    const mod = await loadConfig(MODULE_DIR);
    const hostname = evaluateString(mod, mod.locals['hostname']);
    expect(await mailertableLines()).toEqual([`sinkhole.test\tsmtp:[${hostname}]`]);
    const template = await readFile(new URL('container-definitions.json.tftpl', MODULE_DIR), 'utf8');
    expect(template).toContain('{ "name": "SINKHOLE_HOSTNAME", "value": "${hostname}" }');
  });
});

describe('deploy/sendmail/generate-config-sinkhole.sh (the generate-config.sh block)', () => {
  let dir: string;
  let mailertable: string;
  beforeEach(async () => {
    dir = await makeTempDir('generate-config');
    mailertable = join(dir, 'mailertable');
    await writeFile(mailertable, 'example.org\tsmtp:[relay.example.org]\n');
  });
  afterEach(async () => removeDir(dir));

  const runBlock = async (env: Record<string, string>): Promise<void> => {
    const snippet = new URL('deploy/sendmail/generate-config-sinkhole.sh', REPO).pathname;
    await run('sh', ['-eu', '-c', '. "$0"', snippet], { env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', MAILERTABLE: mailertable, ...env } });
  };

  it('with SINKHOLE_ENABLED=true appends the mailertable line once, however often it runs', async () => {
    await runBlock({ SINKHOLE_ENABLED: 'true' });
    await runBlock({ SINKHOLE_ENABLED: 'true' });
    const expected = ['example.org\tsmtp:[relay.example.org]', ...(await mailertableLines())];
    expect((await readFile(mailertable, 'utf8')).split('\n').filter((l) => l !== '')).toEqual(expected);
  });

  it('without it (unset, empty, false) leaves the mailertable as it was', async () => {
    for (const env of [{}, { SINKHOLE_ENABLED: '' }, { SINKHOLE_ENABLED: 'false' }]) await runBlock(env);
    expect(await readFile(mailertable, 'utf8')).toBe('example.org\tsmtp:[relay.example.org]\n');
  });
});

/** CloudWatch Logs' filter syntax for unstructured lines: a line matches when it contains every quoted term. */
function filterMatches(pattern: string, line: string): boolean {
  const terms = [...pattern.matchAll(/"([^"]*)"/g)].map((m) => m[1] ?? '');
  expect(pattern.replace(/"[^"]*"/g, '').trim()).toBe('');
  return terms.length > 0 && terms.every((t) => line.includes(t));
}

describe('the cleanup alarm\'s metric filter', () => {
  // Lines in the shape Debian's sendmail 8.17 writes them (the e2e tier parses the same shapes).
  const matching = [
    'sm-mta[811]: 5B23o1aX000811: to=<nobody-1@sinkhole.test>, delay=00:00:00, mailer=smtp, pri=30367, stat=queued',
    'sm-mta[812]: 5B23o1aX000811: to=<nobody-1@sinkhole.test>, ctladdr=<qp@x.example> (0/0), delay=00:00:01, xdelay=00:00:01, mailer=smtp, pri=120367, relay=sinkhole.cabal.internal. [10.0.3.17], dsn=4.0.0, stat=Deferred: 421 4.3.2 Service temporarily unavailable',
    'sm-mta[813]: 5B23o1aX000811: to=nobody-1@sinkhole.test, delay=00:31:02, xdelay=00:00:00, mailer=smtp, pri=210367, relay=sinkhole.cabal.internal. [10.0.3.17], dsn=2.0.0, stat=Sent (OK: message accepted)',
  ];
  const other = [
    'sm-mta[811]: 5B23o1aX000811: from=<qp@x.example>, size=367, class=0, nrcpts=1, msgid=<1@x.example>, proto=ESMTP, relay=localhost',
    'sm-mta[814]: 5B23o1aY000814: to=<bob@example.org>, delay=00:00:01, mailer=esmtp, pri=120367, relay=mx.example.org. [192.0.2.1], dsn=2.0.0, stat=Sent (ok)',
    '{"time":"2026-12-02T03:50:01.000Z","level":"info","msg":"connection","rcptTo":["nobody-1@sinkhole.test"]}',
  ];

  it('counts smtp-out queue lines naming a sinkhole.test recipient, and no other line', async () => {
    const mod = await loadConfig(MODULE_DIR);
    const filter = mod.resources['aws_cloudwatch_log_metric_filter.smtp_out_sinkhole_test'] ?? {};
    expect(filter['log_group_name']).toBe('${var.smtp_out_log_group_name}');
    expect(mod.variables['smtp_out_log_group_name']?.['default']).toBe('/ecs/cabal-smtp-out');
    const pattern = filter['pattern'] as string;
    for (const line of matching) expect(filterMatches(pattern, line), line).toBe(true);
    for (const line of other) expect(filterMatches(pattern, line), line).toBe(false);
  });

  it('the alarm watches that metric: any line in 5 minutes, quiet when there are none', async () => {
    const mod = await loadConfig(MODULE_DIR);
    const alarm = mod.resources['aws_cloudwatch_metric_alarm.smtp_out_sinkhole_test'] ?? {};
    expect(alarm).toMatchObject({
      metric_name: '${aws_cloudwatch_log_metric_filter.smtp_out_sinkhole_test[each.key].metric_transformation[0].name}',
      namespace: 'Cabal/Sinkhole', statistic: 'Sum', threshold: 1, comparison_operator: 'GreaterThanOrEqualToThreshold',
      period: 300, evaluation_periods: 1, treat_missing_data: 'notBreaching', alarm_actions: '${var.alarm_actions}',
    });
  });
});

describe('every way of starting the sinkhole runs the same process', () => {
  it('the image ENTRYPOINT, the package bin and pnpm start all run node with no node flags (memory is bounded by main.ts)', async () => {
    const entrypoint = dockerfileFinalStage(await read('packages/sinkhole-server/Dockerfile')).entrypoint;
    expect(entrypoint).toEqual(['node', '/app/sinkhole-server.mjs']);
    const main = await read('packages/sinkhole-server/src/main.ts');
    expect(main.split('\n')[0]).toBe('#!/usr/bin/env node');
    expect(main).toContain("setFlagsFromString('--semi-space-growth-factor=1');");
    const pkg = JSON.parse(await read('packages/sinkhole-server/package.json')) as { bin: Record<string, string> };
    expect(pkg.bin['sinkhole-server']).toBe('./dist/sinkhole-server.mjs');
    const root = JSON.parse(await read('package.json')) as { scripts: Record<string, string> };
    expect(root.scripts['start']).toMatch(/(^|\s)node packages\/sinkhole-server\/dist\/sinkhole-server\.mjs /);
  });
});
