// Postfix's smtp-source (extracted from the Debian package) against the sinkhole in accept, defer,
// bounce and greylist mode: exit status 0 and a count of 1, or exit 1 and "fatal: recipient rejected: <reply>".
import { expect, it } from 'vitest';
import { useSinkholes } from '../lib/sinkhole-fixture.js';
import { expectAcceptedOnce, expectRefused } from '../lib/sinkhole-expect.js';
import { BOUNCE_REPLY, DEFER_REPLY, GREYLIST_ARGS, GREYLIST_REPLY_PREFIX } from '../lib/sinkhole-replies.js';
import { describeE2E } from '../lib/tier.js';
import { sendWithSmtpSource } from './smtp-source-send.js';

const FROM = 'client@smtp-source.e2e.test';
const TO = 'nobody-1@sinkhole.test';

describeE2E('client: postfix smtp-source', () => {
  const sinkhole = useSinkholes();

  it('accept: exit 0, one message counted', async () => {
    const s = await sinkhole({ mode: 'accept' });
    const out = await sendWithSmtpSource(s.port, FROM, TO);
    expect(out.exitCode, out.stderr).toBe(0);
    expect(out.stdout).toBe('1');
    expect(out.stderr).toBe('');
    await expectAcceptedOnce(s, TO);
  });

  it('defer: exit 1, "recipient rejected: 421 4.3.2 ..."', async () => {
    const s = await sinkhole({ mode: 'defer' });
    const out = await sendWithSmtpSource(s.port, FROM, TO);
    expect(out.exitCode).toBe(1);
    expect(out.stderr).toMatch(new RegExp(`fatal: recipient rejected: ${DEFER_REPLY}$`));
    await expectRefused(s, { mode: 'defer', code: 421 });
  });

  it('bounce: exit 1, "recipient rejected: 550 5.1.1 User unknown"', async () => {
    const s = await sinkhole({ mode: 'bounce' });
    const out = await sendWithSmtpSource(s.port, FROM, TO);
    expect(out.exitCode).toBe(1);
    expect(out.stderr).toMatch(new RegExp(`fatal: recipient rejected: ${BOUNCE_REPLY}$`));
    await expectRefused(s, { mode: 'bounce', code: 550 });
  });

  it('greylist: exit 1 with 421 4.7.1, then exit 0', async () => {
    const s = await sinkhole({ mode: 'greylist', extraArgs: GREYLIST_ARGS });
    const first = await sendWithSmtpSource(s.port, FROM, TO);
    expect(first.exitCode).toBe(1);
    expect(first.stderr).toContain(`fatal: recipient rejected: ${GREYLIST_REPLY_PREFIX}`);
    await expectRefused(s, { mode: 'greylist', code: 421 });
    const second = await sendWithSmtpSource(s.port, FROM, TO);
    expect(second.exitCode, second.stderr).toBe(0);
    await expectAcceptedOnce(s, TO, 2);
  });
});
