// Scenario 4 (the plan's shared-EFS pattern, on one machine): two sendmail instances, each with its own
// config, over one queue directory.
//  a) Instance A (a running daemon, like an smtp-out task) takes a message over SMTP, the sinkhole defers
//     it, A is stopped; instance B sees the same queue id and delivers it once the mode is accept.
//  b) Two queue runners started at the same moment deliver every queued message exactly once.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { sendWithNodemailer } from '../clients/nodemailer-send.js';
import { freePort } from '@sinkhole/test-kit';
import { processGroupMembers } from '../lib/leftovers.js';
import { useMtaLabs } from '../lib/mta-lab.js';
import { recipientsOf } from '../lib/sinkhole-log.js';
import { DEFER_REPLY } from '../lib/sinkhole-replies.js';
import { describeE2E } from '../lib/tier.js';

const QUEUE_ID_IN_250 = /^250 2\.0\.0 ([A-Za-z0-9]+) Message accepted for delivery/;

describeE2E('sendmail scenario 4: two instances, one queue directory', () => {
  const mtaLab = useMtaLabs();

  it('a) A defers and is stopped; B delivers the same queue id after the flip to accept', async () => {
    const lab = await mtaLab({ mode: 'defer' });
    const sharedQueue = join(lab.dir, 'shared-mqueue');
    const a = await lab.instance({ name: 'smtp-out-a', queueDir: sharedQueue, daemonPort: await freePort() });
    const b = await lab.instance({ name: 'smtp-out-b', queueDir: sharedQueue });
    const rcpt = 'nobody-4@sinkhole.test';

    await a.startDaemon();
    const submitted = await sendWithNodemailer(a.daemonPort ?? 0, a.senderAddress, rcpt);
    expect(submitted.ok, JSON.stringify(submitted)).toBe(true);
    const queueId = QUEUE_ID_IN_250.exec(submitted.response ?? '')?.[1];
    expect(queueId, submitted.response).toBeDefined();
    const id = queueId as string;
    const deferred = await a.waitForDelivery(id, 'Deferred');
    expect(deferred.fields['stat']).toBe(`Deferred: ${DEFER_REPLY}`);

    for (const mta of [a, b]) {
      const q = await mta.mailq();
      expect(q.entries.map((e) => e.id), `${mta.name}:\n${q.raw}`).toEqual([id]);
      expect(q.entries[0]?.status).toBe(`Deferred: ${DEFER_REPLY}`);
    }

    const daemonPid = a.daemonPid ?? -1;
    const stopped = await a.stopDaemon();
    expect(stopped?.code === 0 || stopped?.signal === 'SIGTERM', JSON.stringify(stopped)).toBe(true);
    expect(a.daemonRunning).toBe(false);
    await a.syslog.waitFor((l) => l.includes(`[${daemonPid}]: `) && /stopping daemon/.test(l), 5_000, 'A stopping');
    expect(await processGroupMembers(daemonPid)).toEqual([]);

    const survived = await b.mailq();
    expect(survived.entries.map((e) => e.id), survived.raw).toEqual([id]);

    await lab.sinkhole.setMode('accept');
    const run = await b.runQueue();
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const sent = await b.waitForDelivery(id, 'Sent');
    expect(sent.fields['dsn']).toBe('2.0.0');
    expect(a.deliveries(id).some((d) => d.fields['stat']?.startsWith('Sent'))).toBe(false);

    expect((await b.mailq()).empty).toBe(true);
    expect((await a.mailq()).empty).toBe(true);
    await lab.sinkhole.waitForConnections(2, 5_000);
    expect(lab.sinkhole.accepted().map(recipientsOf)).toEqual([[rcpt]]);
  });

  it('b) two queue runners started together deliver each queued message exactly once', async () => {
    const lab = await mtaLab({ mode: 'defer' });
    const sharedQueue = join(lab.dir, 'shared-mqueue');
    const a = await lab.instance({ name: 'smtp-out-a', queueDir: sharedQueue });
    const b = await lab.instance({ name: 'smtp-out-b', queueDir: sharedQueue });
    const recipients = Array.from({ length: 8 }, (_, i) => `runner-${i + 1}@sinkhole.test`);

    const ids: string[] = [];
    for (const [i, rcpt] of recipients.entries()) {
      const via = i % 2 === 0 ? a : b;
      const s = await via.submit({ from: via.senderAddress, to: [rcpt], subject: `runner test ${i + 1}`, delivery: 'interactive' });
      await via.waitForDelivery(s.queueId, 'Deferred');
      ids.push(s.queueId);
    }
    const queued = await a.mailq();
    expect([...queued.entries.map((e) => e.id)].sort(), queued.raw).toEqual([...ids].sort());
    await lab.sinkhole.waitForConnections(recipients.length, 5_000);

    await lab.sinkhole.setMode('accept');
    const [runA, runB] = await Promise.all([a.runQueue(), b.runQueue()]);
    expect(runA.code, runA.stdout + runA.stderr).toBe(0);
    expect(runB.code, runB.stdout + runB.stderr).toBe(0);

    const sentBy = (mta: typeof a): string[] =>
      mta.deliveries().filter((d) => d.fields['stat']?.startsWith('Sent')).map((d) => d.queueId ?? '?');
    const sent = [...sentBy(a), ...sentBy(b)];
    expect([...sent].sort()).toEqual([...ids].sort());
    console.info(`scenario 4b: runner A delivered ${sentBy(a).length}, runner B delivered ${sentBy(b).length}`);

    expect((await a.mailq()).empty).toBe(true);
    const delivered = lab.sinkhole.accepted().flatMap(recipientsOf);
    expect(delivered).toHaveLength(recipients.length);
    expect([...delivered].sort()).toEqual([...recipients].sort());
  });
});
