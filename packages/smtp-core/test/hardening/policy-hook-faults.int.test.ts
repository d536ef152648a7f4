// Library users' policy hooks that throw, reject or never settle, over real sockets through
// createSmtpServer: the client is answered 451 4.3.0 (421 4.3.0 and a clean close for the
// factory and the greeting), at once or when limits.hookTimeoutMs passes; the fault is reported
// as a hook-error / hook-timeout event; the session goes on; a healthy session on the same
// server is unaffected; and a server stuck on such hooks still closes within its grace period.
// (The sans-I/O engine tests cover the same decisions without sockets.)
import { SmtpTestClient } from '@sinkhole/test-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { createSmtpServer, type PolicyFactory, type SessionPolicy, type SmtpEvent, type SmtpServer } from '../../src/index.js';

const HOOK_TIMEOUT_MS = 300;
const FAULTY_CLIENT = '127.0.0.2';
const HOOK_FAILED = '451 4.3.0 Temporary local problem, try again later';
const GREETING_FAILED = '421 4.3.0 Temporary local problem, closing connection';

type Fault = 'throws' | 'rejects' | 'never settles';
type Hook = 'factory' | 'connect' | 'helo' | 'mail' | 'rcpt' | 'data-start' | 'data-chunk' | 'data-end';
const FAULTS: readonly Fault[] = ['throws', 'rejects', 'never settles'];
const HOOKS: readonly Hook[] = ['factory', 'connect', 'helo', 'mail', 'rcpt', 'data-start', 'data-chunk', 'data-end'];

const servers: SmtpServer[] = [];
const clients: SmtpTestClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await Promise.all(servers.splice(0).map((s) => s.close({ graceMs: 500 })));
});

function faulty(fault: Fault): () => never | Promise<never> {
  switch (fault) {
    case 'throws':
      return () => {
        throw new Error('policy bug');
      };
    case 'rejects':
      return () => Promise.reject(new Error('policy bug'));
    case 'never settles':
      return () => new Promise<never>(() => undefined);
  }
}

/** A policy whose `hook` misbehaves, for sessions from 127.0.0.2 only; others get the default policy. */
function policyWith(hook: Hook, fault: Fault): PolicyFactory {
  const bad = faulty(fault);
  const hooks: Record<Exclude<Hook, 'factory'>, keyof SessionPolicy> = {
    connect: 'onConnect',
    helo: 'onHelo',
    mail: 'onMailFrom',
    rcpt: 'onRcptTo',
    'data-start': 'onDataStart',
    'data-chunk': 'onDataChunk',
    'data-end': 'onDataEnd',
  };
  return (session) => {
    if (session.remoteAddress !== FAULTY_CLIENT) return {};
    if (hook === 'factory') return bad();
    return { [hooks[hook]]: bad } as SessionPolicy;
  };
}

async function start(policy: PolicyFactory): Promise<{ server: SmtpServer; port: number; events: SmtpEvent[] }> {
  const events: SmtpEvent[] = [];
  const server = createSmtpServer({ hostname: 'mx.test', policy, limits: { hookTimeoutMs: HOOK_TIMEOUT_MS }, onEvent: (e) => events.push(e) });
  servers.push(server);
  const { port } = await server.listen(0, '127.0.0.1');
  return { server, port, events };
}

async function client(port: number, localAddress?: string): Promise<SmtpTestClient> {
  const c = await SmtpTestClient.connect(port, { encoding: 'utf8', ...(localAddress === undefined ? {} : { localAddress }) });
  clients.push(c);
  return c;
}

/** Sends a line and returns the last line of its reply, with how long it took. */
async function command(c: SmtpTestClient, line: string): Promise<{ readonly last: string; readonly ms: number }> {
  const started = Date.now();
  c.write(`${line}\r\n`);
  const reply = await c.reply(5_000);
  return { last: reply.last, ms: Date.now() - started };
}

/** Drives a session up to the failing hook; returns the reply that hook produced and its delay. */
async function reachHook(c: SmtpTestClient, hook: Hook): Promise<{ readonly last: string; readonly ms: number }> {
  const started = Date.now();
  const greeting = (await c.reply(5_000)).last;
  if (hook === 'factory' || hook === 'connect') return { last: greeting, ms: Date.now() - started };
  const steps: [Hook, string][] = [
    ['helo', 'EHLO client.test'],
    ['mail', 'MAIL FROM:<a@example.test>'],
    ['rcpt', 'RCPT TO:<b@example.test>'],
    ['data-start', 'DATA'],
  ];
  for (const [at, line] of steps) {
    const r = await command(c, line);
    if (at === hook) return r;
  }
  const body = Date.now();
  c.write('Subject: hook faults\r\n\r\nbody\r\n.\r\n');
  const last = (await c.reply(5_000)).last;
  return { last, ms: Date.now() - body };
}

describe('policy hooks that throw, reject or never settle (createSmtpServer, real sockets)', () => {
  const cases = HOOKS.flatMap((hook) => FAULTS.map((fault) => [hook, fault] as const));

  it.each(cases)('%s hook %s: answered, reported, the session and a concurrent one go on', async (hook, fault) => {
    const { server, port, events } = await start(policyWith(hook, fault));
    const bystander = await client(port);
    expect((await bystander.reply()).last).toMatch(/^220 /);
    expect((await command(bystander, 'EHLO bystander.test')).last).toMatch(/^250 /);

    const c = await client(port, FAULTY_CLIENT);
    const answered = await reachHook(c, hook);
    const closes = hook === 'factory' || hook === 'connect';
    expect(answered.last).toBe(closes ? GREETING_FAILED : HOOK_FAILED);
    if (fault === 'never settles') {
      expect(answered.ms).toBeGreaterThanOrEqual(HOOK_TIMEOUT_MS - 20);
      expect(answered.ms).toBeLessThan(HOOK_TIMEOUT_MS + 2_000);
    }
    if (closes) {
      await c.expectClosed();
    } else {
      expect((await command(c, 'NOOP')).last).toBe('250 2.0.0 OK');
      expect((await command(c, 'QUIT')).last).toMatch(/^221 /);
      await c.expectClosed();
    }
    const reported = events.filter((e) => e.type === 'hook-error' || e.type === 'hook-timeout');
    expect(reported.map((e) => [e.type, e.type === 'hook-error' || e.type === 'hook-timeout' ? e.hook : ''])).toEqual([
      [fault === 'never settles' ? 'hook-timeout' : 'hook-error', hook],
    ]);

    // The healthy session was not held up by the faulty one.
    expect((await command(bystander, 'MAIL FROM:<by@example.test>')).last).toBe('250 2.1.0 OK');
    expect((await command(bystander, 'RCPT TO:<b@example.test>')).last).toBe('250 2.1.5 OK');
    expect((await command(bystander, 'DATA')).last).toMatch(/^354 /);
    bystander.write('Subject: fine\r\n\r\nfine\r\n.\r\n');
    expect((await bystander.reply()).last).toBe('250 2.0.0 OK: message accepted');
    bystander.write('QUIT\r\n');
    await bystander.reply();
    await bystander.expectClosed();
    await expect.poll(() => server.connectionCount).toBe(0);
  });

  it('200 sessions stuck in a never-settling RCPT hook at once: each answered 451 after hookTimeoutMs, the event loop stays free for others', async () => {
    const { server, port, events } = await start(policyWith('rcpt', 'never settles'));
    const bystander = await client(port);
    await bystander.reply();
    const stuck = await Promise.all(Array.from({ length: 200 }, () => client(port, FAULTY_CLIENT)));
    await Promise.all(stuck.map((c) => c.reply()));
    const started = Date.now();
    for (const c of stuck) c.write('EHLO c.test\r\nMAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\n');
    // While they wait, the healthy session is answered at once.
    const noop = await command(bystander, 'NOOP');
    expect(noop.last).toBe('250 2.0.0 OK');
    expect(noop.ms).toBeLessThan(HOOK_TIMEOUT_MS);
    const lasts = await Promise.all(
      stuck.map(async (c) => {
        await c.reply();
        await c.reply();
        return (await c.reply()).last;
      }),
    );
    expect(new Set(lasts)).toEqual(new Set([HOOK_FAILED]));
    expect(Date.now() - started).toBeLessThan(HOOK_TIMEOUT_MS + 3_000);
    expect(events.filter((e) => e.type === 'hook-timeout')).toHaveLength(200);
    for (const c of stuck) c.destroy();
    await expect.poll(() => server.connectionCount).toBe(1);
  });

  it('close() while sessions wait on never-settling hooks: they get 451, then 421, and close() resolves', async () => {
    const { server, port } = await start(policyWith('data-end', 'never settles'));
    const stuck = await Promise.all(Array.from({ length: 20 }, () => client(port, FAULTY_CLIENT)));
    await Promise.all(stuck.map((c) => c.reply()));
    for (const c of stuck) c.write('EHLO c.test\r\nMAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\nDATA\r\nbody\r\n.\r\n');
    await Promise.all(stuck.map(async (c) => {
      for (let i = 0; i < 4; i++) await c.reply();
    }));
    const started = Date.now();
    const closed = server.close({ graceMs: 10_000 });
    for (const c of stuck) {
      expect((await c.reply()).last).toBe(HOOK_FAILED);
      expect((await c.reply()).last).toBe('421 4.3.2 Service shutting down, closing connection');
      await c.expectClosed();
    }
    await closed;
    expect(Date.now() - started).toBeLessThan(HOOK_TIMEOUT_MS + 3_000);
    expect(server.connectionCount).toBe(0);
  });
});
