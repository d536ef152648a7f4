// SMTP smuggling over the wire against the bundle in accept-log mode: a bare-LF / bare-CR
// "end of data" never ends the message, so the commands hidden after it are body text, never
// executed: exactly one `accepted` line per connection, and the smuggled MAIL FROM never shows
// up as a mailFrom in any log line.
import { afterAll, expect, it } from 'vitest';
import { type SinkholeProcess, SmtpTestClient } from '@sinkhole/test-kit';
import { removeTestBundles } from '../support/bundle.js';
import { hostileCase } from './support/hostile-case.js';

afterAll(async () => {
  await removeTestBundles();
});

const VARIANTS = [
  ['<LF>.<LF>', '\n.\n'],
  ['<CR>.<CR>', '\r.\r'],
  ['<LF>.<CRLF>', '\n.\r\n'],
  ['<CRLF>.<LF>', '\r\n.\n'],
] as const;

/** Sends one message with a smuggled second transaction after `separator`; returns the codes seen. */
async function smuggle(server: SinkholeProcess, index: number, separator: string): Promise<number[]> {
  const c = await SmtpTestClient.connect(server.port);
  const codes = [(await c.reply()).code];
  for (const command of [`EHLO honest${index}.test`, `MAIL FROM:<honest${index}@example.test>`, 'RCPT TO:<x@sinkhole.test>', 'DATA']) {
    codes.push((await c.command(command)).code);
  }
  c.write(`From: <honest${index}@example.test>\r\nSubject: smuggling ${index}\r\n\r\nfirst part${separator}`);
  c.write(`MAIL FROM:<smuggled${index}@evil.test>\r\nRCPT TO:<victim${index}@sinkhole.test>\r\nDATA\r\n`);
  // Nothing may answer yet: the message has not ended, and the hidden commands are body text.
  await expect(c.reply(300)).rejects.toThrow(/timed out/);
  c.write(`From: <smuggled${index}@evil.test>\r\n\r\nsmuggled body\r\n.\r\n`);
  codes.push((await c.reply()).code);
  codes.push((await c.command('QUIT')).code);
  expect((await c.ending()).ending).toBe('eof');
  c.close();
  return codes;
}

it('<LF>.<LF>, <CR>.<CR>, <LF>.<CRLF>, <CRLF>.<LF> inside DATA never end the message; the hidden transaction is never executed', async () => {
  await hostileCase({ name: 'smuggling', boundMb: 10, env: { SINKHOLE_MODE: 'accept-log' }, figuresFile: 'hostile-clients' }, async ({ server }) => {
    const acceptedBefore = server.linesWith('accepted').length;
    for (const [index, [name, separator]] of VARIANTS.entries()) {
      const codes = await smuggle(server, index, separator);
      expect(codes, name).toEqual([220, 250, 250, 250, 354, 250, 221]);
      const connection = await server.waitForLine((l) => l.msg === 'connection' && l['helo'] === `honest${index}.test`);
      expect(connection, name).toMatchObject({ mailFrom: `honest${index}@example.test`, rcptTo: ['x@sinkhole.test'], messages: 1, reason: 'quit' });
      const accepted = server.linesWith('accepted').filter((l) => l['helo'] === `honest${index}.test`);
      expect(accepted, name).toHaveLength(1);
      expect(accepted[0], name).toMatchObject({ mailFrom: `honest${index}@example.test`, rcptTo: ['x@sinkhole.test'] });
      // The header block is the honest one; the smuggled text stayed in the (never logged) body.
      expect(String(accepted[0]?.['headers']), name).toBe(`From: <honest${index}@example.test>\r\nSubject: smuggling ${index}\r\n`);
    }
    expect(server.linesWith('accepted')).toHaveLength(acceptedBefore + VARIANTS.length);
    const mailFroms = server.lines.map((l) => l['mailFrom']).filter((m) => m !== undefined);
    expect(mailFroms.some((m) => String(m).includes('smuggled'))).toBe(false);
    expect(JSON.stringify(server.lines)).not.toContain('victim');
  });
}, 60_000);
