// The smtp-out route as deploy/ ships it: deploy/sendmail/generate-config-sinkhole.sh appends its line to a
// mailertable, makemap builds the map, and the real sendmail resolves sinkhole.test through it to one bracketed
// host (no MX lookup) on the smtp mailer. The drafts' ":25" variant is shown to be read as a fallback host list.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { useMtaLabs } from '../lib/mta-lab.js';
import { MAKEMAP_BIN } from '../lib/paths.js';
import { runChecked } from '../lib/run-command.js';
import { describeE2E } from '../lib/tier.js';

const run = promisify(execFile);
const SNIPPET = new URL('../../deploy/sendmail/generate-config-sinkhole.sh', import.meta.url).pathname;

describeE2E('the smtp-out route from deploy/sendmail', () => {
  const mtaLab = useMtaLabs();

  it('generate-config-sinkhole.sh + makemap: sendmail routes sinkhole.test to [sinkhole.cabal.internal] on smtp', async () => {
    const lab = await mtaLab({ mode: 'defer' });
    const mta = await lab.instance({ name: 'route' });
    const mailertable = join(mta.dir, 'mailertable');
    await writeFile(mailertable, 'example.org\tsmtp:[relay.example.org]\n');
    await run('sh', ['-eu', '-c', '. "$0"', SNIPPET], { env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', MAILERTABLE: mailertable, SINKHOLE_ENABLED: 'true' } });
    const text = await readFile(mailertable, 'utf8');
    expect(text).toBe('example.org\tsmtp:[relay.example.org]\nsinkhole.test\tsmtp:[sinkhole.cabal.internal]\n');
    await runChecked(MAKEMAP_BIN, ['hash', mailertable], { input: text, timeoutMs: 10_000 });

    const map = await mta.sendmail(['-bt'], '/map mailertable sinkhole.test\n');
    expect(map.stdout).toContain('smtp:[sinkhole.cabal.internal]');
    // Ruleset 0 (via 3): the smtp mailer, the bracketed host as the only host, the recipient unchanged.
    const route = await mta.sendmail(['-bt'], '3,0 nobody@sinkhole.test\n');
    const resolved = /returns: \$# (\S+) \$@ (.+?) \$: /.exec(route.stdout.split('\n').filter((l) => l.includes('parse') || l.includes('returns')).at(-1) ?? '');
    expect(resolved?.[1], route.stdout).toBe('smtp');
    expect(resolved?.[2]?.replace(/\s+/g, ''), route.stdout).toBe('[sinkhole.cabal.internal]');
  });

  it('the drafts\' smtp:[sinkhole.cabal.internal]:25 names a second host "25", not a port', async () => {
    const lab = await mtaLab({ mode: 'defer' });
    const mta = await lab.instance({ name: 'colon' });
    const mailertable = join(mta.dir, 'mailertable');
    const text = 'sinkhole.test\tsmtp:[sinkhole.cabal.internal]:25\n';
    await writeFile(mailertable, text);
    await runChecked(MAKEMAP_BIN, ['hash', mailertable], { input: text, timeoutMs: 10_000 });
    const route = await mta.sendmail(['-bt'], '3,0 nobody@sinkhole.test\n');
    const last = route.stdout.split('\n').filter((l) => l.includes('returns')).at(-1) ?? '';
    const host = /\$@ (.+?) \$: /.exec(last)?.[1]?.replace(/\s+/g, '');
    // sendmail keeps the host list as written; its smtp mailer tries "[sinkhole.cabal.internal]", then "25".
    expect(host, route.stdout).toBe('[sinkhole.cabal.internal]:25');
  });
});
