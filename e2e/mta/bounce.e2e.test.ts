// Scenario 2: the sinkhole bounces; sendmail logs dsn=5.1.1 and mails a DSN (Status: 5.1.1) to the
// sender's local file mailbox.
import { expect, it } from 'vitest';
import { useMtaLabs } from '../lib/mta-lab.js';
import { expectRefused } from '../lib/sinkhole-expect.js';
import { BOUNCE_REPLY } from '../lib/sinkhole-replies.js';
import { describeE2E } from '../lib/tier.js';

const RCPT = 'nobody-2@sinkhole.test';

describeE2E('sendmail scenario 2: bounce', () => {
  const mtaLab = useMtaLabs();

  it('bounces with dsn=5.1.1 and delivers a DSN with Status: 5.1.1 to the sender', async () => {
    const lab = await mtaLab({ mode: 'bounce' });
    const mta = await lab.instance({ name: 'smtp-out' });

    const submitted = await mta.submit({ from: mta.senderAddress, to: [RCPT], subject: 'bounce test', delivery: 'interactive' });
    const failed = await mta.waitForDelivery(submitted.queueId, 'User unknown');
    expect(failed.fields['dsn']).toBe('5.1.1');
    expect(failed.fields['reply']).toBe(BOUNCE_REPLY);
    expect(failed.fields['to']).toBe(RCPT);

    await expect.poll(() => mta.mailbox(), { timeout: 10_000, interval: 50, message: 'the DSN in the sender mailbox' }).toMatch(/^Status: 5\.1\.1$/m);
    const mailbox = await mta.mailbox();
    expect(mailbox).toMatch(/^From MAILER-DAEMON/m);
    expect(mailbox).toMatch(new RegExp(`^Final-Recipient: RFC822; ${RCPT}$`, 'mi'));
    expect(mailbox).toMatch(/^Action: failed$/m);
    expect(mailbox).toContain(BOUNCE_REPLY);
    // The DSN went to the file mailbox (stat=Sent for the *file* mailer), not back out to the sinkhole.
    expect(mta.deliveries().some((d) => d.fields['mailer'] === '*file*' && d.fields['stat'] === 'Sent')).toBe(true);

    const queue = await mta.mailq();
    expect(queue.empty, queue.raw).toBe(true);
    await expectRefused(lab.sinkhole, { mode: 'bounce', code: 550 });
  });
});
