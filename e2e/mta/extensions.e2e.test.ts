// --extensions: what EHLO advertises changes what a real sendmail does. With none it still delivers
// (one command at a time, no PIPELINING); without 8BITMIME it converts an 8-bit MIME body to 7 bit.
import { expect, it } from 'vitest';
import { useMtaLabs } from '../lib/mta-lab.js';
import { expectAcceptedOnce } from '../lib/sinkhole-expect.js';
import { describeE2E } from '../lib/tier.js';

const RCPT = 'nobody-ext@sinkhole.test';
const EIGHT_BIT = {
  headers: 'MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit',
  body: 'Grüße aus dem Sinkhole: 8-bit text.\n',
};

describeE2E('sendmail and --extensions', () => {
  const mtaLab = useMtaLabs();

  it('--extensions none: EHLO advertises nothing, sendmail delivers without PIPELINING', async () => {
    const lab = await mtaLab({ mode: 'accept', extraArgs: ['--extensions', 'none'] });
    const mta = await lab.instance({ name: 'smtp-out' });
    const submitted = await mta.submit({ from: mta.senderAddress, to: [RCPT], subject: 'no extensions', delivery: 'interactive', extraArgs: ['-v'] });
    await mta.waitForDelivery(submitted.queueId, 'Sent');
    // sendmail -v prints the dialogue: the EHLO reply is the host name alone.
    expect(submitted.stdout).toMatch(/^250 sinkhole\.test$/m);
    expect(submitted.stdout).not.toMatch(/PIPELINING/);
    await expectAcceptedOnce(lab.sinkhole, RCPT);
  });

  it('the default set: sendmail sees PIPELINING and 8BITMIME and sends the 8-bit body as it is', async () => {
    const lab = await mtaLab({ mode: 'accept-log' });
    const mta = await lab.instance({ name: 'smtp-out' });
    const submitted = await mta.submit({ from: mta.senderAddress, to: [RCPT], subject: '8bit default', delivery: 'interactive', extraArgs: ['-v'], ...EIGHT_BIT });
    await mta.waitForDelivery(submitted.queueId, 'Sent');
    expect(submitted.stdout).toMatch(/^250-PIPELINING$/m);
    const accepted = await expectAcceptedOnce(lab.sinkhole, RCPT);
    expect(accepted['headers']).toMatch(/^Content-Transfer-Encoding: 8bit\r$/m);
  });

  it('--extensions default,-8bitmime: sendmail converts the 8-bit body, the accept-log headers show it', async () => {
    const lab = await mtaLab({ mode: 'accept-log', extraArgs: ['--extensions', 'default,-8bitmime'] });
    const mta = await lab.instance({ name: 'smtp-out' });
    const submitted = await mta.submit({ from: mta.senderAddress, to: [RCPT], subject: '8bit hidden', delivery: 'interactive', extraArgs: ['-v'], ...EIGHT_BIT });
    await mta.waitForDelivery(submitted.queueId, 'Sent');
    expect(submitted.stdout).not.toMatch(/8BITMIME/);
    const accepted = await expectAcceptedOnce(lab.sinkhole, RCPT);
    expect(accepted['headers']).toMatch(/^Content-Transfer-Encoding: quoted-printable\r$/m);
  });
});
