// Issue 11's scenarios through a real sendmail: address scripts, a scenario document that outlasts
// Timeout.datafinal, a time-based script, the queue-persistence hand-off driven by a script, and the
// file source seen at the next connection.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { sendWithNodemailer } from '../clients/nodemailer-send.js';
import { freePort } from '@sinkhole/test-kit';
import { useMtaLabs } from '../lib/mta-lab.js';
import { recipientsOf, type SinkholeEvent } from '../lib/sinkhole-log.js';
import { DEFER_REPLY } from '../lib/sinkhole-replies.js';
import { describeE2E } from '../lib/tier.js';

const QUEUE_ID_IN_250 = /^250 2\.0\.0 ([A-Za-z0-9]+) Message accepted for delivery/;

/** Each recipient's attempt number and code, over every connection line of the sinkhole. */
function attemptsOf(connections: readonly SinkholeEvent[], address: string): [number, number][] {
  return connections.flatMap((c) =>
    ((c['recipients'] as { address: string; attempt: number; code: number }[] | undefined) ?? [])
      .filter((r) => r.address === address)
      .map((r): [number, number] => [r.attempt, r.code]),
  );
}

describeE2E('sendmail and scenarios', () => {
  const mtaLab = useMtaLabs();

  it('1. +421x2.250: deferred twice, delivered on the third queue run; the ledger and the log show attempts 1, 2, 3', async () => {
    const lab = await mtaLab({ mode: 'defer', http: true });
    const mta = await lab.instance({ name: 'smtp-out' });
    const rcpt = 'qp-7+421x2.250@sinkhole.test';

    const submitted = await mta.submit({ from: mta.senderAddress, to: [rcpt], subject: 'script test', delivery: 'interactive' });
    const first = await mta.waitForDelivery(submitted.queueId, 'Deferred');
    expect(first.fields['stat']).toBe(`Deferred: ${DEFER_REPLY}`);
    const second = await mta.runQueue();
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.stdout).toContain(DEFER_REPLY);
    expect((await mta.mailq()).entries.map((e) => e.id)).toEqual([submitted.queueId]);
    const third = await mta.runQueue();
    expect(third.stdout).toContain(`${rcpt}... Sent`);
    await mta.waitForDelivery(submitted.queueId, 'Sent');
    expect((await mta.mailq()).empty).toBe(true);

    const connections = await lab.sinkhole.waitForConnections(3, 5_000);
    expect(attemptsOf(connections, rcpt)).toEqual([
      [1, 421],
      [2, 421],
      [3, 250],
    ]);
    const entry = await lab.sinkhole.attempts(`recipient:${rcpt}`);
    expect(entry?.attempts).toBe(3);
    expect(entry?.history.map((h) => [h.attempt, h.outcome.code])).toEqual([
      [1, 421],
      [2, 421],
      [3, 250],
    ]);
    expect(lab.sinkhole.accepted().map(recipientsOf)).toEqual([[rcpt]]);
  });

  it('2. one message to a +250 and a +550 recipient: the first delivered, a DSN for the second only', async () => {
    const lab = await mtaLab({ mode: 'defer' });
    const mta = await lab.instance({ name: 'smtp-out' });
    const good = 't+250@sinkhole.test';
    const bad = 't+550@sinkhole.test';

    const submitted = await mta.submit({ from: mta.senderAddress, to: [good, bad], subject: 'per-recipient test', delivery: 'interactive' });
    const failed = await mta.waitForDelivery(submitted.queueId, 'User unknown');
    expect(failed.fields['to']).toBe(bad);
    expect(failed.fields['dsn']).toBe('5.1.1');
    const sent = await mta.waitForDelivery(submitted.queueId, 'Sent');
    expect(sent.fields['to']).toBe(good);

    await expect.poll(() => mta.mailbox(), { timeout: 10_000, interval: 50, message: 'the DSN in the sender mailbox' }).toMatch(/^Status: 5\.1\.1$/m);
    const mailbox = await mta.mailbox();
    expect(mailbox).toMatch(new RegExp(`^Final-Recipient: RFC822; ${bad.replace('+', '\\+')}$`, 'mi'));
    expect(mailbox).not.toMatch(new RegExp(`^Final-Recipient: RFC822; ${good.replace('+', '\\+')}$`, 'mi'));
    expect((await mta.mailq()).empty).toBe(true);
    await lab.sinkhole.waitForConnections(1, 5_000);
    expect(lab.sinkhole.accepted().map(recipientsOf)).toEqual([[good]]);
  });

  it('3. a document delays the end-of-data reply beyond Timeout.datafinal (10s): sendmail times out and keeps the message queued', async () => {
    const document = { name: 'slow-datafinal', otherwise: 'accept', rules: [{ on: 'data-end', delay: '14s' }] };
    const lab = await mtaLab({ mode: JSON.stringify(document) });
    const mta = await lab.instance({ name: 'smtp-out' });
    const rcpt = 'large@sinkhole.test';

    const submitted = await mta.submit({ from: mta.senderAddress, to: [rcpt], subject: 'datafinal timeout', delivery: 'interactive' });
    const deferred = await mta.waitForDelivery(submitted.queueId, 'Deferred', 30_000);
    expect(deferred.fields['stat']).toBe('Deferred: Connection timed out with [127.0.0.1]');
    expect(deferred.fields['dsn']).toBe('4.4.2');
    // The end-of-data wait is sendmail's Timeout.datafinal ("client DATA status"), 10 s in the test .cf.
    expect(deferred.fields['xdelay']).toBe('00:00:10');
    expect(mta.syslog.lines.join('\n')).toMatch(/timeout waiting for input from \[127\.0\.0\.1\] during client DATA status/);
    const queued = await mta.mailq();
    expect(queued.entries.map((e) => e.id), queued.raw).toEqual([submitted.queueId]);
  });

  it('4. +421for8s.250: deferred until 8 s after the first attempt, then delivered', async () => {
    const lab = await mtaLab({ mode: 'accept' });
    const mta = await lab.instance({ name: 'smtp-out' });
    const rcpt = 'qp-8+421for8s.250@sinkhole.test';
    const started = Date.now();

    const submitted = await mta.submit({ from: mta.senderAddress, to: [rcpt], subject: 'time script', delivery: 'interactive' });
    await mta.waitForDelivery(submitted.queueId, 'Deferred');
    const early = await mta.runQueue();
    expect(early.stdout).toContain(DEFER_REPLY);
    expect((await mta.mailq()).entries).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 8_500 - (Date.now() - started))));
    const late = await mta.runQueue();
    expect(late.stdout).toContain(`${rcpt}... Sent`);
    expect((await mta.mailq()).empty).toBe(true);
    const connections = await lab.sinkhole.waitForConnections(3, 5_000);
    expect(attemptsOf(connections, rcpt).map(([, code]) => code)).toEqual([421, 421, 250]);
  });

  it('5. queue persistence: A takes the message and is deferred by the script, A stops, B delivers it; no mode flip', async () => {
    const lab = await mtaLab({ mode: 'defer' });
    const sharedQueue = join(lab.dir, 'shared-mqueue');
    const a = await lab.instance({ name: 'smtp-out-a', queueDir: sharedQueue, daemonPort: await freePort() });
    const b = await lab.instance({ name: 'smtp-out-b', queueDir: sharedQueue });
    const rcpt = 'qp-5+421x1.250@sinkhole.test';

    await a.startDaemon();
    const submitted = await sendWithNodemailer(a.daemonPort ?? 0, a.senderAddress, rcpt);
    const id = QUEUE_ID_IN_250.exec(submitted.response ?? '')?.[1] as string;
    expect(id, submitted.response).toBeDefined();
    await a.waitForDelivery(id, 'Deferred');
    await a.stopDaemon();
    expect((await b.mailq()).entries.map((e) => e.id)).toEqual([id]);

    const run = await b.runQueue();
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const sent = await b.waitForDelivery(id, 'Sent');
    expect(sent.fields['dsn']).toBe('2.0.0');
    expect((await b.mailq()).empty).toBe(true);
    const connections = await lab.sinkhole.waitForConnections(2, 5_000);
    expect(attemptsOf(connections, rcpt)).toEqual([
      [1, 421],
      [2, 250],
    ]);
    expect(lab.sinkhole.accepted().map(recipientsOf)).toEqual([[rcpt]]);
  });

  it('6. the file source: write the file (in place), send at once, and get the new mode', async () => {
    const lab = await mtaLab({ mode: 'defer', defaultCacheTtl: true });
    const mta = await lab.instance({ name: 'smtp-out' });

    await lab.sinkhole.writeModeInPlace('bounce');
    const bounced = await mta.submit({ from: mta.senderAddress, to: ['file-1@sinkhole.test'], subject: 'file source 1', delivery: 'interactive' });
    expect((await mta.waitForDelivery(bounced.queueId, 'User unknown')).fields['dsn']).toBe('5.1.1');

    await lab.sinkhole.writeModeInPlace('accept');
    const accepted = await mta.submit({ from: mta.senderAddress, to: ['file-2@sinkhole.test'], subject: 'file source 2', delivery: 'interactive' });
    expect((await mta.waitForDelivery(accepted.queueId, 'Sent')).fields['dsn']).toBe('2.0.0');
    await lab.sinkhole.waitForConnections(2, 5_000);
    expect(lab.sinkhole.connections().map((c) => c['mode'])).toEqual(['bounce', 'accept']);
  });
});
