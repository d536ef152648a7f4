import { expect } from 'vitest';
import { SmtpTestClient } from '@sinkhole/test-kit';

export const MESSAGE = 'From: <a@example.test>\r\nTo: <x@sinkhole.test>\r\nSubject: hardening\r\n\r\nhello\r\n.\r\n';

/** Greeted and EHLO'd: a session that stays open while a hostile client does its worst. */
export async function openBystander(port: number): Promise<SmtpTestClient> {
  const c = await SmtpTestClient.connect(port);
  expect((await c.reply()).code).toBe(220);
  expect((await c.command('EHLO bystander.test')).code).toBe(250);
  return c;
}

/** One whole transaction on an open (EHLO'd) session; returns the reply to the end of data. */
export async function transaction(c: SmtpTestClient, from = 'a@example.test'): Promise<string> {
  expect((await c.command(`MAIL FROM:<${from}>`)).code).toBe(250);
  expect((await c.command('RCPT TO:<x@sinkhole.test>')).code).toBe(250);
  expect((await c.command('DATA')).code).toBe(354);
  c.write(MESSAGE);
  return (await c.reply()).last;
}

/** The bystander still gets its message accepted, then quits cleanly. */
export async function bystanderStillWorks(c: SmtpTestClient): Promise<void> {
  expect(await transaction(c, 'bystander@example.test')).toBe('250 2.0.0 OK: message accepted');
  expect((await c.command('QUIT')).code).toBe(221);
  expect((await c.ending()).ending).toBe('eof');
  c.close();
}

/** A fresh connection works end to end (the server did not fall over). */
export async function freshSessionWorks(port: number): Promise<void> {
  const c = await openBystander(port);
  await bystanderStillWorks(c);
}
