// Scenario 1 (the queue-persistence runbook on one machine): the sinkhole defers, sendmail queues the
// message with the 421 text; the mode file flips to accept; `sendmail -q -v` delivers it.
import { expect, it } from 'vitest';
import { useMtaLabs } from '../lib/mta-lab.js';
import { expectAcceptedOnce, expectRefused } from '../lib/sinkhole-expect.js';
import { DEFER_REPLY } from '../lib/sinkhole-replies.js';
import { describeE2E } from '../lib/tier.js';

const RCPT = 'nobody-1@sinkhole.test';

describeE2E('sendmail scenario 1: defer, then accept', () => {
  const mtaLab = useMtaLabs();

  it('queues on 421 4.3.2, delivers on the queue run after the flip to accept', async () => {
    const lab = await mtaLab({ mode: 'defer' });
    const mta = await lab.instance({ name: 'smtp-out' });

    const submitted = await mta.submit({ from: mta.senderAddress, to: [RCPT], subject: 'queue-persistence test', delivery: 'interactive' });
    const deferred = await mta.waitForDelivery(submitted.queueId, 'Deferred');
    expect(deferred.fields['stat']).toBe(`Deferred: ${DEFER_REPLY}`);
    expect(deferred.fields['reply']).toBe(DEFER_REPLY);
    expect(deferred.fields['dsn']).toMatch(/^4\./);

    const queued = await mta.mailq();
    expect(queued.entries, queued.raw).toHaveLength(1);
    expect(queued.entries[0]).toMatchObject({ id: submitted.queueId, status: `Deferred: ${DEFER_REPLY}`, recipients: [RCPT] });
    expect(queued.raw).not.toMatch(/Connection reset/);
    await expectRefused(lab.sinkhole, { mode: 'defer', code: 421 });

    await lab.sinkhole.setMode('accept');
    const run = await mta.runQueue();
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain(`${RCPT}... Sent`);
    const sent = await mta.waitForDelivery(submitted.queueId, 'Sent');
    expect(sent.fields['dsn']).toBe('2.0.0');

    const drained = await mta.mailq();
    expect(drained.empty, drained.raw).toBe(true);
    const accepted = await expectAcceptedOnce(lab.sinkhole, RCPT, 2);
    expect(accepted['mailFrom']).toBe(mta.senderAddress);
  });
});
