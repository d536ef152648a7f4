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
