// nodemailer against the sinkhole in accept, defer, bounce and greylist mode.
import { expect, it } from 'vitest';
import { useSinkholes } from '../lib/sinkhole-fixture.js';
import { expectAcceptedOnce, expectRefused } from '../lib/sinkhole-expect.js';
import { BOUNCE_REPLY, DEFER_REPLY, GREYLIST_ARGS, GREYLIST_REPLY_PREFIX } from '../lib/sinkhole-replies.js';
import { describeE2E } from '../lib/tier.js';
import { sendWithNodemailer } from './nodemailer-send.js';

const FROM = 'client@nodemailer.e2e.test';
const TO = 'nobody-1@sinkhole.test';

describeE2E('client: nodemailer', () => {
  const sinkhole = useSinkholes();

  it('accept: sendMail resolves with a 250 response and the recipient accepted', async () => {
    const s = await sinkhole({ mode: 'accept' });
    const out = await sendWithNodemailer(s.port, FROM, TO);
    expect(out.ok, JSON.stringify(out)).toBe(true);
    expect(out.response).toMatch(/^250[ -]/);
    expect(out.accepted).toEqual([TO]);
    expect(out.rejected).toEqual([]);
    await expectAcceptedOnce(s, TO);
  });

  it('accept-log: accepted, and the sinkhole logs the envelope and the headers', async () => {
    const s = await sinkhole({ mode: 'accept-log' });
    const out = await sendWithNodemailer(s.port, FROM, TO);
    expect(out.ok, JSON.stringify(out)).toBe(true);
    const accepted = await expectAcceptedOnce(s, TO);
    expect(accepted['mailFrom']).toBe(FROM);
    expect(String(accepted['headers'])).toMatch(/^Subject: nodemailer e2e\r?$/m);
    expect(String(accepted['headers'])).not.toContain('sent by nodemailer');
  });

  it('defer: the error carries responseCode 421 and the 4.3.2 text', async () => {
    const s = await sinkhole({ mode: 'defer' });
    const out = await sendWithNodemailer(s.port, FROM, TO);
    expect(out.ok).toBe(false);
    expect(out.responseCode, JSON.stringify(out)).toBe(421);
    expect(out.response).toBe(DEFER_REPLY);
    // nodemailer sees the 421 and then the half-close: ECONNECTION (or EENVELOPE if it reads the reply first).
    expect(['ECONNECTION', 'EENVELOPE']).toContain(out.code);
    await expectRefused(s, { mode: 'defer', code: 421 });
  });

  it('bounce: EENVELOPE, responseCode 550 5.1.1, the recipient rejected', async () => {
    const s = await sinkhole({ mode: 'bounce' });
    const out = await sendWithNodemailer(s.port, FROM, TO);
    expect(out.ok).toBe(false);
    expect(out.code, JSON.stringify(out)).toBe('EENVELOPE');
    expect(out.responseCode).toBe(550);
    expect(out.response).toBe(BOUNCE_REPLY);
    expect(out.rejected).toEqual([TO]);
    await expectRefused(s, { mode: 'bounce', code: 550 });
  });

  it('greylist: the first attempt gets 421 4.7.1, the retry is accepted', async () => {
    const s = await sinkhole({ mode: 'greylist', extraArgs: GREYLIST_ARGS });
    const first = await sendWithNodemailer(s.port, FROM, TO);
    expect(first.ok).toBe(false);
    expect(first.responseCode, JSON.stringify(first)).toBe(421);
    expect(first.response?.startsWith(GREYLIST_REPLY_PREFIX), first.response).toBe(true);
    await expectRefused(s, { mode: 'greylist', code: 421 });
    const second = await sendWithNodemailer(s.port, FROM, TO);
    expect(second.ok, JSON.stringify(second)).toBe(true);
    expect(second.accepted).toEqual([TO]);
    await expectAcceptedOnce(s, TO, 2);
  });
});
