// swaks (Debian package) against the sinkhole in accept, defer, bounce and greylist mode.
// Exit codes (man swaks): 0 success, 24 "error after RCPT TO" (every recipient refused).
import { expect, it } from 'vitest';
import { useSinkholes } from '../lib/sinkhole-fixture.js';
import { expectAcceptedOnce, expectRefused } from '../lib/sinkhole-expect.js';
import { BOUNCE_REPLY, DEFER_REPLY, GREYLIST_ARGS, GREYLIST_REPLY_PREFIX } from '../lib/sinkhole-replies.js';
import { describeE2E } from '../lib/tier.js';
import { sendWithSwaks } from './swaks-send.js';

const FROM = 'client@swaks.e2e.test';
const TO = 'nobody-1@sinkhole.test';
const EXIT_OK = 0;
const EXIT_RCPT_FAILED = 24;

describeE2E('client: swaks', () => {
  const sinkhole = useSinkholes();

  it('accept: exit 0, 354 then 250 after the data', async () => {
    const s = await sinkhole({ mode: 'accept' });
    const out = await sendWithSwaks(s.port, FROM, TO);
    expect(out.exitCode, out.transcript).toBe(EXIT_OK);
    expect(out.errorReplies).toEqual([]);
    expect(out.replies.some((r) => r.startsWith('354'))).toBe(true);
    await expectAcceptedOnce(s, TO);
  });

  it('defer: exit 24, the RCPT reply flagged as the 421 4.3.2 text', async () => {
    const s = await sinkhole({ mode: 'defer' });
    const out = await sendWithSwaks(s.port, FROM, TO);
    expect(out.exitCode, out.transcript).toBe(EXIT_RCPT_FAILED);
    expect(out.errorReplies).toEqual([DEFER_REPLY]);
    // The sinkhole half-closed after the 421, it did not reset the connection.
    expect(out.transcript).not.toMatch(/reset/i);
    await expectRefused(s, { mode: 'defer', code: 421 });
  });

  it('bounce: exit 24, the RCPT reply flagged as 550 5.1.1', async () => {
    const s = await sinkhole({ mode: 'bounce' });
    const out = await sendWithSwaks(s.port, FROM, TO);
    expect(out.exitCode, out.transcript).toBe(EXIT_RCPT_FAILED);
    expect(out.errorReplies).toEqual([BOUNCE_REPLY]);
    await expectRefused(s, { mode: 'bounce', code: 550 });
  });

  it('greylist: exit 24 with 421 4.7.1, then exit 0', async () => {
    const s = await sinkhole({ mode: 'greylist', extraArgs: GREYLIST_ARGS });
    const first = await sendWithSwaks(s.port, FROM, TO);
    expect(first.exitCode, first.transcript).toBe(EXIT_RCPT_FAILED);
    expect(first.errorReplies).toHaveLength(1);
    expect(first.errorReplies[0]?.startsWith(GREYLIST_REPLY_PREFIX), first.transcript).toBe(true);
    await expectRefused(s, { mode: 'greylist', code: 421 });
    const second = await sendWithSwaks(s.port, FROM, TO);
    expect(second.exitCode, second.transcript).toBe(EXIT_OK);
    await expectAcceptedOnce(s, TO, 2);
  });
});
