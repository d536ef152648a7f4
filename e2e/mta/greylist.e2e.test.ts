// Scenario 3: greylisting. The first attempt is deferred with 421 4.7.1; the next queue run delivers.
import { expect, it } from 'vitest';
import { useMtaLabs } from '../lib/mta-lab.js';
import { expectAcceptedOnce, expectRefused } from '../lib/sinkhole-expect.js';
import { GREYLIST_ARGS, GREYLIST_REPLY_PREFIX } from '../lib/sinkhole-replies.js';
import { describeE2E } from '../lib/tier.js';

const RCPT = 'nobody-3@sinkhole.test';

describeE2E('sendmail scenario 3: greylist', () => {
  const mtaLab = useMtaLabs();

  it('defers the first attempt with 421 4.7.1 and delivers on the next queue run', async () => {
    const lab = await mtaLab({ mode: 'greylist', extraArgs: GREYLIST_ARGS });
    const mta = await lab.instance({ name: 'smtp-out' });

    const submitted = await mta.submit({ from: mta.senderAddress, to: [RCPT], subject: 'greylist test', delivery: 'interactive' });
    const deferred = await mta.waitForDelivery(submitted.queueId, 'Deferred');
    expect(deferred.fields['stat']?.startsWith(`Deferred: ${GREYLIST_REPLY_PREFIX}`), deferred.text).toBe(true);

    const queued = await mta.mailq();
    expect(queued.entries, queued.raw).toHaveLength(1);
    expect(queued.entries[0]?.id).toBe(submitted.queueId);
    expect(queued.entries[0]?.status?.startsWith(`Deferred: ${GREYLIST_REPLY_PREFIX}`), queued.raw).toBe(true);
    await expectRefused(lab.sinkhole, { mode: 'greylist', code: 421 });

    const run = await mta.runQueue();
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const sent = await mta.waitForDelivery(submitted.queueId, 'Sent');
    expect(sent.fields['dsn']).toBe('2.0.0');
    const drained = await mta.mailq();
    expect(drained.empty, drained.raw).toBe(true);
    await expectAcceptedOnce(lab.sinkhole, RCPT, 2);
  });
});
