// Python's smtplib (the machine's python3) against the sinkhole in accept, defer, bounce and greylist mode.
import { expect, it } from 'vitest';
import { useSinkholes } from '../lib/sinkhole-fixture.js';
import { expectAcceptedOnce, expectRefused } from '../lib/sinkhole-expect.js';
import { GREYLIST_ARGS, GREYLIST_REPLY_PREFIX } from '../lib/sinkhole-replies.js';
import { describeE2E } from '../lib/tier.js';
import { sendWithSmtplib } from './smtplib-send.js';

const FROM = 'client@smtplib.e2e.test';
const TO = 'nobody-1@sinkhole.test';

describeE2E('client: python3 smtplib', () => {
  const sinkhole = useSinkholes();

  it('accept: sendmail() returns no refused recipients', async () => {
    const s = await sinkhole({ mode: 'accept' });
    const out = await sendWithSmtplib(s.port, FROM, TO);
    expect(out).toEqual({ ok: true, refused: {} });
    await expectAcceptedOnce(s, TO);
  });

  it('defer: SMTPRecipientsRefused with (421, "4.3.2 Service temporarily unavailable")', async () => {
    const s = await sinkhole({ mode: 'defer' });
    const out = await sendWithSmtplib(s.port, FROM, TO);
    expect(out).toEqual({
      ok: false,
      exception: 'SMTPRecipientsRefused',
      recipients: { [TO]: [421, '4.3.2 Service temporarily unavailable'] },
    });
    await expectRefused(s, { mode: 'defer', code: 421 });
  });

  it('bounce: SMTPRecipientsRefused with (550, "5.1.1 User unknown")', async () => {
    const s = await sinkhole({ mode: 'bounce' });
    const out = await sendWithSmtplib(s.port, FROM, TO);
    expect(out).toEqual({
      ok: false,
      exception: 'SMTPRecipientsRefused',
      recipients: { [TO]: [550, '5.1.1 User unknown'] },
    });
    await expectRefused(s, { mode: 'bounce', code: 550 });
  });

  it('greylist: first SMTPRecipientsRefused with 421 4.7.1, then delivered', async () => {
    const s = await sinkhole({ mode: 'greylist', extraArgs: GREYLIST_ARGS });
    const first = await sendWithSmtplib(s.port, FROM, TO);
    expect(first.exception, JSON.stringify(first)).toBe('SMTPRecipientsRefused');
    const [code, text] = first.recipients?.[TO] ?? [];
    expect(code).toBe(421);
    expect(`${String(code)} ${String(text)}`.startsWith(GREYLIST_REPLY_PREFIX), String(text)).toBe(true);
    await expectRefused(s, { mode: 'greylist', code: 421 });
    const second = await sendWithSmtplib(s.port, FROM, TO);
    expect(second).toEqual({ ok: true, refused: {} });
    await expectAcceptedOnce(s, TO, 2);
  });
});
