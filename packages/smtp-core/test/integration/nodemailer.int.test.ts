import nodemailer from 'nodemailer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSmtpServer, reply, type SmtpServer } from '../../src/index.js';

interface Received {
  from: string;
  to: string[];
  body: Buffer;
  params: Record<string, string | true>;
}

describe('nodemailer as a real client', () => {
  let server: SmtpServer;
  let port = 0;
  const received: Received[] = [];
  const commands: string[] = [];

  beforeAll(async () => {
    server = createSmtpServer({
      hostname: 'mx.test',
      traceCommands: true,
      onEvent: (e) => void (e.type === 'command' && commands.push(e.verb)),
      policy: () => {
        const chunks: Buffer[] = [];
        let params: Record<string, string | true> = {};
        return {
          onMailFrom: (_from, p) => void (params = Object.fromEntries(p)),
          onRcptTo: (to) => (to.localPart === 'unknown' ? reply(550, '5.1.1', 'User unknown') : undefined),
          onDataChunk: (chunk) => void chunks.push(Buffer.from(chunk)),
          onDataEnd: (_m, envelope) => {
            received.push({ from: envelope.reversePath.address, to: envelope.recipients.map((r) => r.address), body: Buffer.concat(chunks), params });
            return reply(250, '2.0.0', 'queued');
          },
        };
      },
    });
    port = (await server.listen(0, '127.0.0.1')).port;
  });

  afterAll(() => server.close({ graceMs: 1000 }));
  beforeEach(() => {
    received.length = 0;
    commands.length = 0;
  });

  const transport = () =>
    nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, name: 'client.test' });

  it('sends a plain message', async () => {
    const info = await transport().sendMail({ from: 'a@example.com', to: 'b@example.net', subject: 'hi', text: 'hello\n.leading dot\n' });
    expect(info.accepted).toEqual(['b@example.net']);
    expect(info.response).toBe('250 2.0.0 queued');
    expect(received).toHaveLength(1);
    expect(received[0]?.from).toBe('a@example.com');
    expect(received[0]?.body.toString()).toContain('\r\n.leading dot\r\n');
  });

  it('pipelines several recipients and reports the refused one', async () => {
    const info = await transport().sendMail({ from: 'a@example.com', to: ['b@example.net', 'unknown@example.net', 'c@example.net'], subject: 's', text: 't' });
    expect(info.accepted).toEqual(['b@example.net', 'c@example.net']);
    expect(info.rejected).toEqual(['unknown@example.net']);
    expect(received[0]?.to).toEqual(['b@example.net', 'c@example.net']);
  });

  it('sends 8-bit content with BODY=8BITMIME', async () => {
    // use8BitMime is what nodemailer's SMTP connection checks before it adds BODY=8BITMIME.
    const envelope = { from: 'a@example.com', to: 'b@example.net', use8BitMime: true };
    await transport().sendMail({ envelope, raw: 'Subject: =?utf-8?q?=C3=BCmlaut?=\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\ngrüße aus köln\r\n' });
    expect(received[0]?.params.BODY).toBe('8BITMIME');
    expect(received[0]?.body.toString('utf8')).toContain('grüße aus köln');
  });

  it('sends to a UTF-8 address with SMTPUTF8', async () => {
    await transport().sendMail({ envelope: { from: 'ä@example.com', to: 'ö@example.net' }, raw: 'Subject: x\r\n\r\nbody\r\n' });
    expect(received[0]?.params.SMTPUTF8).toBe(true);
    expect(received[0]?.to).toEqual(['ö@example.net']);
  });

  it('fails cleanly when every recipient is refused', async () => {
    const error = await transport().sendMail({ from: 'a@example.com', to: 'unknown@example.net', text: 'x' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ responseCode: 550 });
    expect(received).toHaveLength(0);
  });

  it('reuses a pooled connection for several messages', async () => {
    const pool = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: 1 });
    await Promise.all([1, 2, 3].map((i) => pool.sendMail({ from: 'a@example.com', to: `r${i}@example.net`, text: `m${i}` })));
    pool.close();
    expect(received).toHaveLength(3);
    expect(commands.filter((c) => c === 'EHLO')).toHaveLength(1);
  });
});
