import { SmtpTestClient, type SinkholeProcess } from '@sinkhole/test-kit';
import { expect } from 'vitest';
import { spawnBundle, startBundle } from './bundle.js';

/** The test bundle in `mode` (env source) on 127.0.0.1:0, hostname sink.test. */
export async function sinkhole(mode: string, extra: readonly string[] = []): Promise<SinkholeProcess> {
  return startBundle(['--host', '127.0.0.1', '--port', '0', '--mode-source', 'env', '--hostname', 'sink.test', ...extra], {
    SINKHOLE_MODE: mode,
  });
}

/** Connected (optionally from another loopback address), greeted by sink.test and EHLO'd. */
export async function greeted(port: number, localAddress?: string): Promise<SmtpTestClient> {
  const client = await SmtpTestClient.connect(port, localAddress === undefined ? {} : { localAddress });
  expect((await client.reply()).last).toBe('220 sink.test ESMTP ready');
  expect((await client.command('EHLO client.test')).code).toBe(250);
  return client;
}

/** Connected, EHLO'd, MAIL and RCPT sent, and the body begun: a session in DATA. */
export async function inDataSession(port: number): Promise<SmtpTestClient> {
  const c = await SmtpTestClient.connect(port);
  await c.reply();
  await c.command('EHLO busy.test');
  await c.command('MAIL FROM:<a@example.test>');
  await c.command('RCPT TO:<x@sinkhole.test>');
  expect((await c.command('DATA')).code).toBe(354);
  c.write('Subject: shutdown\r\n\r\nfirst half of the body\r\n');
  return c;
}

/** One session up to RCPT TO (then QUIT unless deferred); the RCPT reply's last line. */
export async function rcptReply(port: number, localAddress = '127.0.0.1', to = 'x@sinkhole.test'): Promise<string> {
  const c = await SmtpTestClient.connect(port, { localAddress });
  await c.reply();
  await c.command('EHLO lib.test');
  await c.command('MAIL FROM:<a@example.test>');
  const r = await c.command(`RCPT TO:<${to}>`);
  if (r.code !== 421) await c.command('QUIT');
  await c.ending();
  c.close();
  return r.last;
}

/** Runs `sinkhole-server check` with these flags; its exit code, JSON line and stderr. */
export async function runCheck(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<{ code: number | null; line: SinkholeProcess['lines'][number] | undefined; stderr: string }> {
  const proc = await spawnBundle(['check', ...args], env);
  const { code } = await proc.exited;
  return { code, line: proc.lines[0], stderr: proc.stderr };
}
