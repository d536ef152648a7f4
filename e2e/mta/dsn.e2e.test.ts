// DSN (RFC 3461): sendmail asked for notifications (-N, -R, -V) passes NOTIFY, RET, ENVID and ORCPT
// to a server that advertises DSN (ORCPT only when it received one); the sinkhole checks them and logs them decoded.
import { expect, it } from 'vitest';
import { useMtaLabs } from '../lib/mta-lab.js';
import { expectAcceptedOnce } from '../lib/sinkhole-expect.js';
import { describeE2E } from '../lib/tier.js';

const RCPT = 'nobody-dsn@sinkhole.test';
const ENVID = 'e2e-envid-42';

describeE2E('sendmail with DSN parameters', () => {
  const mtaLab = useMtaLabs();

  it('sendmail -N success,failure -R hdrs -V envid: the values show in the accepted and connection lines', async () => {
    const lab = await mtaLab({ mode: 'accept' });
    const mta = await lab.instance({ name: 'smtp-out' });

    const submitted = await mta.submit({
      from: mta.senderAddress,
      to: [RCPT],
      subject: 'dsn test',
      delivery: 'interactive',
      extraArgs: ['-N', 'success,failure', '-R', 'hdrs', '-V', ENVID],
    });
    await mta.waitForDelivery(submitted.queueId, 'Sent');

    const accepted = await expectAcceptedOnce(lab.sinkhole, RCPT);
    // sendmail sends ORCPT only for a recipient that came to it with one (over SMTP), not from its command line.
    const expected = { ret: 'HDRS', envid: ENVID, notify: ['SUCCESS,FAILURE'], orcpt: [null] };
    expect(accepted['dsn'], lab.sinkhole.transcript()).toEqual(expected);
    const connection = (await lab.sinkhole.waitForConnections(1, 5_000)).at(-1);
    expect(connection?.['dsn'], lab.sinkhole.transcript()).toEqual(expected);
  });
});
