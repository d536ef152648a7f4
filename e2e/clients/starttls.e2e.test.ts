// STARTTLS (RFC 3207) with real clients against the sinkhole's --tls on (its self-signed certificate):
// swaks --tls (TLS from Debian's libnet-ssleay-perl), openssl s_client -starttls smtp, python smtplib.starttls().
import { expect, it } from 'vitest';
import { runCommand } from '../lib/run-command.js';
import { useSinkholes } from '../lib/sinkhole-fixture.js';
import { expectAcceptedOnce } from '../lib/sinkhole-expect.js';
import { describeE2E } from '../lib/tier.js';

const FROM = 'client@tls.e2e.test';
const TO = 'nobody-tls@sinkhole.test';

const SMTPLIB_STARTTLS = `
import smtplib, ssl, sys
port = int(sys.argv[1])
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
with smtplib.SMTP('127.0.0.1', port, local_hostname='client.e2e.test', timeout=10) as s:
    s.ehlo()
    if not s.has_extn('starttls'):
        sys.exit('STARTTLS not advertised')
    code, _ = s.starttls(context=ctx)
    print('starttls', code, s.sock.version())
    s.ehlo()
    print('starttls-after', s.has_extn('starttls'))
    s.sendmail(sys.argv[2], [sys.argv[3]], 'Subject: smtplib tls\\r\\n\\r\\nover TLS\\r\\n')
    print('sent')
`;

describeE2E('STARTTLS with real clients', () => {
  const sinkhole = useSinkholes();

  it('swaks --tls: the handshake and the message, and the connection line shows the TLS version and cipher', async () => {
    const s = await sinkhole({ mode: 'accept', extraArgs: ['--tls', 'on'] });
    const out = await runCommand('swaks', ['--server', `127.0.0.1:${s.port}`, '--from', FROM, '--to', TO, '--helo', 'client.e2e.test', '--tls', '--timeout', '10s'], { timeoutMs: 30_000 });
    const transcript = out.stdout + out.stderr;
    expect(out.code, transcript).toBe(0);
    expect(transcript).toMatch(/<-\s+220 2\.0\.0 Ready to start TLS/);
    expect(transcript).toMatch(/=== TLS started with cipher/);
    await expectAcceptedOnce(s, TO);
    const connection = (await s.waitForConnections(1, 5_000)).at(-1);
    expect(connection?.['tls'], s.transcript()).toMatchObject({ protocol: expect.stringMatching(/^TLSv1\.[23]$/), cipher: expect.stringMatching(/^TLS_/) });
  });

  it('openssl s_client -starttls smtp: the self-signed certificate for --hostname, then EHLO over TLS without STARTTLS', async () => {
    const s = await sinkhole({ mode: 'accept', extraArgs: ['--tls', 'on'] });
    const out = await runCommand('openssl', ['s_client', '-starttls', 'smtp', '-connect', `127.0.0.1:${s.port}`, '-name', 'client.e2e.test', '-crlf', '-quiet', '-verify_quiet'], {
      // -crlf turns each LF into CRLF.
      input: 'EHLO client.e2e.test\nQUIT\n',
      timeoutMs: 30_000,
    });
    const transcript = out.stdout + out.stderr;
    expect(transcript).toMatch(/CN\s*=\s*sinkhole\.test/);
    expect(out.stdout).toMatch(/^250-sinkhole\.test/m);
    expect(out.stdout).not.toMatch(/STARTTLS/);
    expect(out.stdout).toMatch(/^221 /m);
  });

  it('python smtplib.starttls(): 220, TLS, EHLO again (no STARTTLS), the message sent', async () => {
    const s = await sinkhole({ mode: 'accept', extraArgs: ['--tls', 'on'] });
    const out = await runCommand('python3', ['-c', SMTPLIB_STARTTLS, String(s.port), FROM, TO], { timeoutMs: 30_000 });
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toMatch(/^starttls 220 TLSv1\.[23]$/m);
    expect(out.stdout).toMatch(/^starttls-after False$/m);
    expect(out.stdout).toMatch(/^sent$/m);
    await expectAcceptedOnce(s, TO);
  });

  it('--tls required: swaks without --tls is refused with 530 5.7.0 at MAIL', async () => {
    const s = await sinkhole({ mode: 'accept', extraArgs: ['--tls', 'required'] });
    const out = await runCommand('swaks', ['--server', `127.0.0.1:${s.port}`, '--from', FROM, '--to', TO, '--helo', 'client.e2e.test', '--timeout', '10s'], { timeoutMs: 30_000 });
    const transcript = out.stdout + out.stderr;
    expect(out.code, transcript).not.toBe(0);
    expect(transcript).toMatch(/<\*\*\s+530 5\.7\.0 Must issue a STARTTLS command first/);
    expect(s.accepted()).toEqual([]);
  });
});
