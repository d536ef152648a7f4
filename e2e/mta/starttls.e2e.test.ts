// Real sendmail as a STARTTLS client (RFC 3207): it upgrades when the sinkhole offers STARTTLS and
// logs STARTTLS=client; the message is delivered over TLS.
import { expect, it } from 'vitest';
import { useMtaLabs } from '../lib/mta-lab.js';
import { expectAcceptedOnce } from '../lib/sinkhole-expect.js';
import { describeE2E } from '../lib/tier.js';

const RCPT = 'nobody-tls@sinkhole.test';

describeE2E('sendmail as a STARTTLS client', () => {
  const mtaLab = useMtaLabs();

  it('--tls on: sendmail logs STARTTLS=client and delivers; the connection line shows TLS', async () => {
    const lab = await mtaLab({ mode: 'accept', extraArgs: ['--tls', 'on'] });
    const mta = await lab.instance({ name: 'smtp-out' });
    const submitted = await mta.submit({ from: mta.senderAddress, to: [RCPT], subject: 'starttls', delivery: 'interactive' });
    await mta.waitForDelivery(submitted.queueId, 'Sent');
    expect(mta.syslog.lines.some((l) => /STARTTLS=client, relay=\[127\.0\.0\.1\], version=TLSv1\.[23]/.test(l)), mta.syslog.lines.join('\n')).toBe(true);
    await expectAcceptedOnce(lab.sinkhole, RCPT);
    const connection = (await lab.sinkhole.waitForConnections(1, 5_000)).at(-1);
    expect(connection?.['tls'], lab.sinkhole.transcript()).toMatchObject({ protocol: expect.stringMatching(/^TLSv1\.[23]$/) });
  });
});

describeE2E('sendmail and the STARTTLS failure scenarios', () => {
  const mtaLab = useMtaLabs();
  const SCENARIO_454 = JSON.stringify({ name: 'tls-454', otherwise: 'accept', rules: [{ on: 'starttls', reply: '454 4.7.0 TLS not available' }] });

  it('phase starttls answers 454 4.7.0: sendmail falls back to plain text and still delivers', async () => {
    const lab = await mtaLab({ mode: SCENARIO_454, extraArgs: ['--tls', 'on'] });
    const mta = await lab.instance({ name: 'smtp-out' });
    const submitted = await mta.submit({ from: mta.senderAddress, to: [RCPT], subject: 'starttls 454', delivery: 'interactive' });
    await mta.waitForDelivery(submitted.queueId, 'Sent');
    await expectAcceptedOnce(lab.sinkhole, RCPT);
    const connection = (await lab.sinkhole.waitForConnections(1, 5_000)).at(-1);
    expect(connection?.['replyCounts'], lab.sinkhole.transcript()).toMatchObject({ '454': 1 });
    expect(connection?.['tls']).toBeUndefined();
  });

  it('--tls required and a sendmail that never tries TLS (try_tls says no): 530 5.7.0 at MAIL, sendmail returns the message', async () => {
    const lab = await mtaLab({ mode: 'accept', extraArgs: ['--tls', 'required'] });
    const mta = await lab.instance({ name: 'smtp-out', noClientTls: true });
    const submitted = await mta.submit({ from: mta.senderAddress, to: [RCPT], subject: 'starttls required', delivery: 'interactive' });
    const lines = (): string => mta.syslog.lines.join('\n');
    await expect.poll(() => mta.deliveries(submitted.queueId).length, { timeout: 10_000 }).toBeGreaterThan(0);
    const delivery = mta.deliveries(submitted.queueId)[0];
    // RFC 3207's 530 is a permanent reply: sendmail returns the message (dsn=5.7.0), it does not queue it.
    expect(delivery?.fields['stat'], lines()).toBe('Service unavailable');
    expect(delivery?.fields['dsn'], lines()).toBe('5.7.0');
    expect(lines()).toMatch(/530 5\.7\.0 Must issue a STARTTLS command first/);
    expect(lab.sinkhole.accepted()).toEqual([]);
  });
});
