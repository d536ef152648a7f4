import { afterAll, describe, expect, it } from 'vitest';
import { removeTestBundles } from '../support/bundle.js';
import { greeted, sinkhole } from '../support/sessions.js';

afterAll(async () => {
  await removeTestBundles();
});

const BODY = 'Subject: test\r\nFrom: <a@example.test>\r\n\r\nHello\r\n.\r\n';

describe('defer (the default)', () => {
  it('answers RCPT TO with 421 4.3.2, then closes with a FIN, never a reset', async () => {
    const s = await sinkhole('defer');
    const c = await greeted(s.port);
    expect((await c.command('MAIL FROM:<a@example.test>')).last).toBe('250 2.1.0 OK');
    expect((await c.command('RCPT TO:<nobody@sinkhole.test>')).last).toBe('421 4.3.2 Service temporarily unavailable');
    expect(await c.ending()).toEqual({ ending: 'eof', unread: [] });
    c.close();
    await s.stop();
  });

  it('closes cleanly after the 421 even when the client pipelined more commands behind the RCPT', async () => {
    const s = await sinkhole('defer');
    const c = await greeted(s.port);
    c.write('MAIL FROM:<a@example.test>\r\nRCPT TO:<x@sinkhole.test>\r\nRCPT TO:<y@sinkhole.test>\r\nDATA\r\nSubject: x\r\n\r\nbody\r\n.\r\nQUIT\r\n');
    expect((await c.reply()).code).toBe(250);
    expect((await c.reply()).last).toBe('421 4.3.2 Service temporarily unavailable');
    const end = await c.ending();
    expect(end.ending).toBe('eof');
    expect(end.unread).toEqual([]);
    expect(c.error).toBeUndefined();
    c.close();
    const line = await s.waitForLine((l) => l.msg === 'connection');
    expect(line).toMatchObject({ mode: 'defer', helo: 'client.test', mailFrom: 'a@example.test', rcptTo: ['x@sinkhole.test'], reason: 'reply-421' });
    expect(line['replies']).toEqual([220, 250, 421]);
    await s.stop();
  });
});

describe('bounce', () => {
  it('answers RCPT TO with 550 5.1.1 and DATA with 554 5.5.1', async () => {
    const s = await sinkhole('bounce');
    const c = await greeted(s.port);
    await c.command('MAIL FROM:<a@example.test>');
    expect((await c.command('RCPT TO:<nobody@sinkhole.test>')).last).toBe('550 5.1.1 User unknown');
    expect((await c.command('DATA')).last).toBe('554 5.5.1 No valid recipients');
    expect((await c.command('QUIT')).code).toBe(221);
    expect((await c.ending()).ending).toBe('eof');
    c.close();
    const line = await s.waitForLine((l) => l.msg === 'connection');
    expect(line).toMatchObject({ mode: 'bounce', rcptTo: ['nobody@sinkhole.test'], messages: 0, reason: 'quit' });
    expect(s.linesWith('accepted')).toEqual([]);
    await s.stop();
  });
});

describe('accept', () => {
  it('answers 250, 354, 250 and logs one accepted line without headers', async () => {
    const s = await sinkhole('accept');
    const c = await greeted(s.port);
    await c.command('MAIL FROM:<a@example.test>');
    expect((await c.command('RCPT TO:<one@sinkhole.test>')).last).toBe('250 2.1.5 OK');
    expect((await c.command('RCPT TO:<two@sinkhole.test>')).code).toBe(250);
    expect((await c.command('DATA')).code).toBe(354);
    c.write(BODY);
    expect((await c.reply()).code).toBe(250);
    expect((await c.command('QUIT')).code).toBe(221);
    c.close();
    const accepted = await s.waitForLine((l) => l.msg === 'accepted');
    expect(accepted).toMatchObject({
      level: 'info',
      mode: 'accept',
      helo: 'client.test',
      mailFrom: 'a@example.test',
      rcptTo: ['one@sinkhole.test', 'two@sinkhole.test'],
      size: BODY.length - 3,
    });
    expect(accepted).not.toHaveProperty('headers');
    expect(accepted['client']).toMatch(/^127\.0\.0\.1:\d+$/);
    const connection = await s.waitForLine((l) => l.msg === 'connection');
    expect(connection).toMatchObject({ messages: 1, replies: [220, 250, 354, 221], replyCounts: { '220': 1, '250': 5, '354': 1, '221': 1 } });
    await s.stop();
  });
});

describe('accept-log', () => {
  it('logs the envelope and the headers, and never a byte of the body', async () => {
    const s = await sinkhole('accept-log');
    const token = `BODY-TOKEN-${process.pid}-${Date.now()}`;
    const c = await greeted(s.port);
    await c.command('MAIL FROM:<sender@example.test>');
    await c.command('RCPT TO:<r1@sinkhole.test>');
    await c.command('RCPT TO:<r2@sinkhole.test>');
    expect((await c.command('DATA')).code).toBe(354);
    c.write(`Subject: accept-log test\r\nX-Trace: line\u2028split\r\n\r\n${token}\r\nmore ${token}\r\n.\r\n`);
    expect((await c.reply()).code).toBe(250);
    await c.command('QUIT');
    c.close();
    const accepted = await s.waitForLine((l) => l.msg === 'accepted');
    expect(accepted).toMatchObject({
      mode: 'accept-log',
      helo: 'client.test',
      mailFrom: 'sender@example.test',
      rcptTo: ['r1@sinkhole.test', 'r2@sinkhole.test'],
      headersTruncated: false,
    });
    expect(accepted['headers']).toContain('Subject: accept-log test\r\n');
    await s.waitForLine((l) => l.msg === 'connection');
    const raw = s.rawStdout.join('\n');
    expect(raw).not.toContain(token);
    // U+2028 in a header is escaped, so the line cannot be split by a reader that treats it as a newline.
    expect(raw).toContain('line\\u2028split');
    expect(raw).not.toContain('\u2028');
    await s.stop();
  });
});

describe('greylist', () => {

  it('with --greylist-code 451 --greylist-key triplet: 451 keeps the connection open and each triplet is greylisted once', async () => {
    const s = await sinkhole('greylist', ['--greylist-code', '451', '--greylist-key', 'triplet']);
    const c = await greeted(s.port);
    await c.command('MAIL FROM:<a@example.test>');
    expect((await c.command('RCPT TO:<x@sinkhole.test>')).last).toBe('451 4.7.1 Greylisted, please try again later');
    expect((await c.command('RCPT TO:<x@sinkhole.test>')).code).toBe(451);
    await c.command('QUIT');
    c.close();
    const d = await greeted(s.port);
    await d.command('MAIL FROM:<a@example.test>');
    expect((await d.command('RCPT TO:<x@sinkhole.test>')).code).toBe(250);
    expect((await d.command('RCPT TO:<y@sinkhole.test>')).code).toBe(451);
    expect((await d.command('DATA')).code).toBe(354);
    d.write(BODY);
    expect((await d.reply()).code).toBe(250);
    await d.command('QUIT');
    d.close();
    const accepted = await s.waitForLine((l) => l.msg === 'accepted');
    expect(accepted).toMatchObject({ mode: 'greylist', rcptTo: ['x@sinkhole.test'] });
    await s.stop();
  });
});

describe('reply:<code> <x.y.z> <text>', () => {
  it('answers every RCPT TO with the operator reply and keeps the connection for a 4xx other than 421', async () => {
    const s = await sinkhole('reply:452 4.2.2 Mailbox full');
    const c = await greeted(s.port);
    await c.command('MAIL FROM:<a@example.test>');
    expect((await c.command('RCPT TO:<x@sinkhole.test>')).last).toBe('452 4.2.2 Mailbox full');
    expect((await c.command('RCPT TO:<y@sinkhole.test>')).last).toBe('452 4.2.2 Mailbox full');
    expect((await c.command('QUIT')).code).toBe(221);
    c.close();
    const line = await s.waitForLine((l) => l.msg === 'connection');
    expect(line).toMatchObject({ mode: 'reply:452 4.2.2 Mailbox full', rcptTo: ['x@sinkhole.test', 'y@sinkhole.test'] });
    await s.stop();
  });

  it('closes after an operator 421, with a FIN', async () => {
    const s = await sinkhole('reply:421 4.7.0 Try again later');
    const c = await greeted(s.port);
    await c.command('MAIL FROM:<a@example.test>');
    expect((await c.command('RCPT TO:<x@sinkhole.test>')).last).toBe('421 4.7.0 Try again later');
    expect(await c.ending()).toEqual({ ending: 'eof', unread: [] });
    c.close();
    await s.stop();
  });
});
