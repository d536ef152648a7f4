// Scenario 5: an operator-chosen reply. "reply:452 4.2.2 Mailbox full" shows in mailq as a deferral with that text.
import { expect, it } from 'vitest';
import { useMtaLabs } from '../lib/mta-lab.js';
import { expectRefused } from '../lib/sinkhole-expect.js';
import { CUSTOM_REPLY } from '../lib/sinkhole-replies.js';
import { describeE2E } from '../lib/tier.js';

const RCPT = 'nobody-5@sinkhole.test';
const MODE = `reply:${CUSTOM_REPLY}`;

describeE2E('sendmail scenario 5: custom reply', () => {
  const mtaLab = useMtaLabs();

  it(`"${MODE}" is queued as "Deferred: ${CUSTOM_REPLY}"`, async () => {
    const lab = await mtaLab({ mode: MODE });
    const mta = await lab.instance({ name: 'smtp-out' });

    const submitted = await mta.submit({ from: mta.senderAddress, to: [RCPT], subject: 'custom reply test', delivery: 'interactive' });
    const deferred = await mta.waitForDelivery(submitted.queueId, 'Deferred');
    expect(deferred.fields['stat']).toBe(`Deferred: ${CUSTOM_REPLY}`);
    expect(deferred.fields['reply']).toBe(CUSTOM_REPLY);
    // sendmail files its own status for a 452 to RCPT (dsn=4.3.1 on Debian's 8.17), a transient one all the same.
    expect(deferred.fields['dsn']).toMatch(/^4\./);

    const queued = await mta.mailq();
    expect(queued.entries, queued.raw).toHaveLength(1);
    expect(queued.entries[0]).toMatchObject({ id: submitted.queueId, status: `Deferred: ${CUSTOM_REPLY}`, recipients: [RCPT] });
    await expectRefused(lab.sinkhole, { mode: MODE, code: 452 });
  });
});
