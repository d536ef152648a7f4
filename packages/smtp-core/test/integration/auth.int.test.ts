import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { createSmtpServer, reply, selfSignedCertificate, type SaslCredentials, type SessionInfo, type SmtpEvent, type SmtpServer } from '../../src/index.js';

const CERT = selfSignedCertificate('mx.test');

describe('AUTH (RFC 4954) with nodemailer as the client', () => {
  let server: SmtpServer | undefined;
  afterEach(async () => {
    await server?.close({ graceMs: 500 });
    server = undefined;
  });

  it.each(['PLAIN', 'LOGIN'] as const)('%s: the policy sees the credentials, the session the mechanism only', async (method) => {
    const seen: SaslCredentials[] = [];
    let session: SessionInfo | undefined;
    const events: SmtpEvent[] = [];
    server = createSmtpServer({
      hostname: 'mx.test',
      auth: true,
      traceCommands: true,
      onEvent: (e) => void events.push(e),
      policy: () => ({ onAuth: (c) => void seen.push(c), onDataEnd: (_m, _e, s) => void (session = s) }),
    });
    const { port } = await server.listen(0, '127.0.0.1');
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, auth: { user: 'alice', pass: 's3cret' }, authMethod: method });
    await transport.sendMail({ from: 'a@example.com', to: 'b@example.net', subject: 'auth', text: 'x' });
    expect(seen).toEqual([{ mechanism: method, authorizationId: '', username: 'alice', password: 's3cret' }]);
    expect(session?.auth).toEqual({ mechanism: method, authorizationId: '' });
    // Neither the password nor its base64 is in any event.
    const text = JSON.stringify(events, (_k, v: unknown) => (v instanceof Map ? [...v] : v));
    expect(text).not.toContain('s3cret');
    expect(text).not.toContain(Buffer.from('s3cret').toString('base64'));
  });

  it('535 5.7.8 from the policy fails the login', async () => {
    server = createSmtpServer({ hostname: 'mx.test', auth: true, policy: () => ({ onAuth: () => reply(535, '5.7.8', 'Authentication credentials invalid') }) });
    const { port } = await server.listen(0, '127.0.0.1');
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, auth: { user: 'alice', pass: 'wrong' } });
    await expect(transport.sendMail({ from: 'a@example.com', to: 'b@example.net', subject: 's', text: 'x' })).rejects.toMatchObject({ responseCode: 535 });
  });

  it('with TLS required, AUTH is offered only after STARTTLS', async () => {
    server = createSmtpServer({ hostname: 'mx.test', auth: true, tls: { key: CERT.key, cert: CERT.cert, required: true } });
    const { port } = await server.listen(0, '127.0.0.1');
    const transport = nodemailer.createTransport({
      host: '127.0.0.1', port, secure: false, requireTLS: true, auth: { user: 'alice', pass: 'pw' }, tls: { ca: CERT.cert, servername: 'mx.test' },
    });
    const info = await transport.sendMail({ from: 'a@example.com', to: 'b@example.net', subject: 's', text: 'x' });
    expect(info.accepted).toEqual(['b@example.net']);
  });
});
