// A real BDAT client: Exim (chrooted, see lib/exim-chroot.ts) delivers to the sinkhole with CHUNKING.
// Exim's delivery line carries K when the message went by BDAT; the sinkhole's accepted line says body "bdat".
import { onCi } from '@sinkhole/test-kit';
import { describe, expect, it } from 'vitest';
import { EximChroot, eximProblem } from '../lib/exim-chroot.js';
import { useSinkholes } from '../lib/sinkhole-fixture.js';
import { describeE2E } from '../lib/tier.js';

const FROM = 'sender@exim.e2e.test';
const MESSAGE = 'Subject: exim over BDAT\r\nMessage-ID: <exim-bdat@e2e.test>\r\n\r\nline one\r\n.a line that starts with a dot\r\nlast line\r\n';

// Only this file needs the Exim root filesystem: without it, CI fails here (naming it); elsewhere these
// tests are skipped with a banner, and the rest of the tier runs.
const eximMissing = await eximProblem();
if (eximMissing !== undefined && onCi()) throw new Error(`CI=true: ${eximMissing}`);
if (eximMissing !== undefined) console.error(`\n!!! EXIM BDAT TESTS SKIPPED: ${eximMissing}\n`);
const describeExim = eximMissing === undefined ? describeE2E : describe.skip;

describeExim('MTA: Exim sends the body with BDAT (RFC 3030)', () => {
  const sinkhole = useSinkholes();
  async function deliver(name: string, mode: string, to: string): Promise<{ log: string }> {
    const s = await sinkhole({ mode });
    const exim = await EximChroot.create(name, s.port);
    const run = await exim.send(FROM, to, MESSAGE);
    expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
    const log = await exim.mainlog();
    await exim.remove();
    return { log };
  }

  it('accept: Exim delivers with CHUNKING (K), the sinkhole logs body "bdat" and no 354', async () => {
    const to = 'bdat-accept@sinkhole.test';
    const s = await sinkhole({ mode: 'accept' });
    const exim = await EximChroot.create('accept', s.port);
    const run = await exim.send(FROM, to, MESSAGE);
    expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
    const log = await exim.mainlog();
    await exim.remove();
    expect(log).toMatch(new RegExp(`=> ${to} R=sinkhole T=to_sinkhole H=127\\.0\\.0\\.1 \\[127\\.0\\.0\\.1\\]:${s.port} K C="250 2\\.0\\.0 OK: message accepted"`));
    expect(log).toMatch(/ Completed$/m);
    const accepted = await s.waitForEvent((e) => e.msg === 'accepted', 5_000, 'the accepted line');
    expect(accepted).toMatchObject({ rcptTo: [to], mailFrom: FROM, body: 'bdat', chunks: 1 });
    const connection = await s.waitForEvent((e) => e.msg === 'connection', 5_000, 'the connection line');
    // No 354: the body never went by DATA.
    expect(connection['replies']).not.toContain(354);
  });

  it('a data-end rule answers 452 after BDAT LAST: Exim defers the message (==) and keeps it queued', async () => {
    const document = { name: 'bdat-452', otherwise: 'accept', rules: [{ on: 'data-end', reply: '452 4.3.1 Insufficient system storage' }] };
    const { log } = await deliver('defer', JSON.stringify(document), 'bdat-defer@sinkhole.test');
    expect(log).toMatch(/== bdat-defer@sinkhole\.test R=sinkhole T=to_sinkhole defer \(-\d+\) H=127\.0\.0\.1 \[127\.0\.0\.1\]:\d+: SMTP error from remote mail server after pipelined end of data: 452 4\.3\.1 Insufficient system storage/);
    expect(log).not.toMatch(/ Completed$/m);
  });

  it('a data-end rule answers 550 after BDAT LAST: Exim fails the recipient (**) and makes a bounce', async () => {
    const document = { name: 'bdat-550', otherwise: 'accept', rules: [{ on: 'data-end', reply: '550 5.7.1 Content rejected' }] };
    const { log } = await deliver('bounce', JSON.stringify(document), 'bdat-bounce@sinkhole.test');
    expect(log).toMatch(/\*\* bdat-bounce@sinkhole\.test R=sinkhole T=to_sinkhole H=127\.0\.0\.1 \[127\.0\.0\.1\]:\d+: SMTP error from remote mail server after pipelined end of data: 550 5\.7\.1 Content rejected/);
  });
});
