import { afterEach, describe, expect, it } from 'vitest';
import { startSinkhole, type Sinkhole, type StartSinkholeOptions } from '../../../src/index.js';
import { sendMail } from '../../support/http-client.js';
import { SmtpTestClient } from '@sinkhole/test-kit';

const started: Sinkhole[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close({ graceMs: 100 })));
});

async function start(options: StartSinkholeOptions): Promise<Sinkhole> {
  const s = await startSinkhole({ hostname: 'sink.test', ...options });
  started.push(s);
  return s;
}

/** The value of one series in a scrape, 0 when absent. */
function value(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

describe('metrics over real sessions', () => {
  it('a defer session and an accept session move the session, reply and message counters', async () => {
    const s = await start({ mode: 'defer' });
    expect(await sendMail(s.address.port, 'x@sink.test')).toMatch(/^421 4\.3\.2/);
    s.setMode('accept');
    expect(await sendMail(s.address.port, 'y@sink.test', 'Subject: m\r\n\r\n0123456789\r\n')).toMatch(/^250 2\.0\.0/);
    await s.waitFor(() => true);
    // The accept session's close (after QUIT) is counted when the engine sees it go.
    for (let i = 0; i < 50 && value(s.metrics(), 'sinkhole_sessions_closed_total{reason="quit"}') < 1; i++) await new Promise((r) => setTimeout(r, 20));
    const text = s.metrics();
    expect(value(text, 'sinkhole_sessions_opened_total')).toBe(2);
    expect(value(text, 'sinkhole_sessions_closed_total{reason="reply-421"}')).toBe(1);
    expect(value(text, 'sinkhole_sessions_closed_total{reason="quit"}')).toBe(1);
    expect(value(text, 'sinkhole_smtp_replies_total{code="421",phase="rcpt",mode="defer"}')).toBe(1);
    expect(value(text, 'sinkhole_smtp_replies_total{code="250",phase="rcpt",mode="accept"}')).toBe(1);
    expect(value(text, 'sinkhole_smtp_replies_total{code="250",phase="data-end",mode="accept"}')).toBe(1);
    expect(value(text, 'sinkhole_smtp_replies_total{code="220",phase="other",mode="accept"}')).toBe(1);
    expect(value(text, 'sinkhole_smtp_replies_total{code="354",phase="other",mode="accept"}')).toBe(1);
    expect(value(text, 'sinkhole_messages_accepted_total{mode="accept"}')).toBe(1);
    expect(value(text, 'sinkhole_message_body_bytes_total{mode="accept"}')).toBe('Subject: m\r\n\r\n0123456789\r\n'.length);
    expect(value(text, 'sinkhole_mode_info{mode="accept",source="fixed"}')).toBe(1);
    expect(text).not.toContain('mode="defer",source=');
    expect(text).toMatch(/^sinkhole_build_info\{version="[^"]+",node_version="[^"]+"\} 1$/m);
    expect(text).not.toMatch(/sink\.test|127\.0\.0\.1|example\.test/);
  });

  it('greylist outcomes, the table size and open connections', async () => {
    const s = await start({ mode: 'greylist', greylist: { code: 451 } });
    await sendMail(s.address.port, 'g@sink.test');
    await sendMail(s.address.port, 'g@sink.test');
    const open = await SmtpTestClient.connect(s.address.port);
    await open.reply();
    const text = s.metrics();
    expect(value(text, 'sinkhole_greylist_decisions_total{outcome="greylisted"}')).toBe(1);
    expect(value(text, 'sinkhole_greylist_decisions_total{outcome="passed"}')).toBe(1);
    expect(value(text, 'sinkhole_greylist_entries')).toBe(1);
    expect(value(text, 'sinkhole_connections_open')).toBe(1);
    open.close();
  });

  it('mode loads and provider errors by source kind, and the failure streak gauge', async () => {
    let fail = false;
    const provider = {
      name: 'file:/tmp/some-mode',
      lookup: () => (fail ? Promise.reject(Object.assign(new Error('ENOENT'), { code: 'ENOENT' })) : Promise.resolve('accept')),
    };
    const s = await start({ modeProvider: provider, cacheTtlMs: 0 });
    await sendMail(s.address.port, 'a@sink.test');
    fail = true;
    await sendMail(s.address.port, 'a@sink.test');
    const text = s.metrics();
    expect(value(text, 'sinkhole_mode_loads_total{source="file"}')).toBeGreaterThanOrEqual(2);
    expect(value(text, 'sinkhole_mode_provider_errors_total{source="file",code="ERR_MODE_SOURCE_FAILED"}')).toBe(1);
    expect(value(text, 'sinkhole_mode_provider_consecutive_failures{source="file"}')).toBe(1);
    expect(value(text, 'sinkhole_mode_info{mode="accept",source="file"}')).toBe(1);
  });
});

describe('library helpers for test suites', () => {
  it('waitFor resolves with a transaction already kept or the next one; transactions() lists them; reset() forgets', async () => {
    const s = await start({ mode: 'accept' });
    await sendMail(s.address.port, 'first@sink.test');
    const first = await s.waitFor((t) => t.rcptTo.includes('first@sink.test'), { timeout: 5_000 });
    expect(first).toMatchObject({ seq: 1, mailFrom: 'sender@example.test', rcptTo: ['first@sink.test'] });
    const later = s.waitFor((t) => t.rcptTo.includes('later@sink.test'), { timeout: 10_000 });
    await sendMail(s.address.port, 'later@sink.test');
    expect((await later).seq).toBe(2);
    expect(s.transactions().map((t) => t.rcptTo[0])).toEqual(['first@sink.test', 'later@sink.test']);
    s.reset();
    expect(s.transactions()).toEqual([]);
  });

  it('waitFor rejects with a TimeoutError that says what did not happen', async () => {
    const s = await start({ mode: 'defer' });
    await sendMail(s.address.port, 'never@sink.test');
    await expect(s.waitFor((t) => t.rcptTo.length > 0, { timeout: 100 })).rejects.toMatchObject({
      name: 'TimeoutError',
      message: expect.stringMatching(/no accepted transaction matched within 100 ms/),
    });
  });

  it('a predicate that throws fails its own wait, not the session', async () => {
    const s = await start({ mode: 'accept' });
    const outcome = s
      .waitFor(() => {
        throw new Error('bad predicate');
      })
      .then(
        () => 'resolved',
        (error: unknown) => (error instanceof Error ? error.message : 'not an error'),
      );
    expect(await sendMail(s.address.port, 'a@sink.test')).toMatch(/^250/);
    expect(await outcome).toBe('bad predicate');
    expect(await sendMail(s.address.port, 'b@sink.test')).toMatch(/^250/);
  });
});
