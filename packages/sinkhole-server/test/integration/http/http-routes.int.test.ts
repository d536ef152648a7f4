import { afterEach, describe, expect, it } from 'vitest';
import { startSinkhole, type Sinkhole, type StartSinkholeOptions } from '../../../src/index.js';
import { apiModeProvider } from '../../../src/mode/api-mode-provider.js';
import { errorCode, rawExchange, request, sendMail } from '../../support/http-client.js';

const TOKEN = 'test-token-0123456789abcdef';
const started: Sinkhole[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close({ graceMs: 100 })));
});

async function start(options: StartSinkholeOptions = {}, http: Partial<NonNullable<StartSinkholeOptions['http']>> = {}): Promise<{ s: Sinkhole; port: number }> {
  const s = await startSinkhole({ hostname: 'sink.test', ...options, http: { host: '127.0.0.1', port: 0, token: TOKEN, ...http } });
  started.push(s);
  if (s.httpAddress === undefined) throw new Error('no HTTP address');
  return { s, port: s.httpAddress.port };
}

describe('HTTP surface on loopback: routes', () => {
  it('GET /metrics answers Prometheus text 0.0.4 without a token', async () => {
    const { port } = await start();
    const r = await request(port, '/metrics');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(r.text).toContain('# TYPE sinkhole_sessions_opened_total counter');
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('GET /healthz is 200 with the mode once the source has answered', async () => {
    const { port } = await start({ mode: 'bounce' });
    const r = await request(port, '/healthz');
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ status: 'ok', mode: 'bounce', source: 'fixed' });
  });

  it('GET /healthz is 503 with why while the mode source has never answered', async () => {
    const failing = { name: 'file:/nowhere', lookup: () => Promise.reject(new Error('gone')) };
    const { port } = await start({ modeProvider: failing });
    const r = await request(port, '/healthz');
    expect(r.status).toBe(503);
    expect(errorCode(r)).toBe('unavailable');
    expect((r.json as { error: { message: string } }).error.message).toMatch(/file:\/nowhere has not given a mode.*gone/);
  });

  it('GET /healthz is 503 once the sinkhole is shutting down', async () => {
    const { s, port } = await start({ mode: 'accept' });
    const { SmtpTestClient } = await import('@sinkhole/test-kit');
    const c = await SmtpTestClient.connect(s.address.port);
    await c.reply();
    await c.command('EHLO x.test');
    await c.command('MAIL FROM:<a@x.test>');
    await c.command('RCPT TO:<b@x.test>');
    await c.command('DATA');
    // A session inside DATA holds the shutdown open; meanwhile the health check says so.
    const closing = s.close({ graceMs: 5_000 });
    const r = await request(port, '/healthz');
    expect(r.status).toBe(503);
    expect((r.json as { error: { message: string } }).error.message).toContain('shutting down');
    c.write('.\r\n');
    await c.reply();
    c.close();
    await closing;
  });

  it('GET /mode reports the mode, its source, when it was loaded and the last error', async () => {
    const { port } = await start({ mode: 'reply:452 4.2.2 Mailbox full' });
    const r = await request(port, '/mode');
    expect(r.status).toBe(200);
    const body = r.json as Record<string, unknown>;
    expect(body).toMatchObject({ mode: 'reply:452 4.2.2 Mailbox full', kind: 'reply', source: 'fixed', lastError: null, failures: 0 });
    expect(Date.parse(body['loadedAt'] as string)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('PUT /mode is 409 when another source is the source of truth', async () => {
    const { port } = await start({ mode: 'defer' });
    const r = await request(port, '/mode', { method: 'PUT', token: TOKEN, body: 'accept' });
    expect(r.status).toBe(409);
    expect(errorCode(r)).toBe('conflict');
    expect((await request(port, '/mode')).json).toMatchObject({ mode: 'defer' });
  });

  it('PUT /mode with --mode-source api sets the mode of the next connection; a bad text is a 400 and changes nothing', async () => {
    const { s, port } = await start({ modeProvider: apiModeProvider() });
    expect(await sendMail(s.address.port, 'a@sink.test')).toBe('421 4.3.2 Service temporarily unavailable');
    const put = await request(port, '/mode', { method: 'PUT', token: TOKEN, body: 'accept\n' });
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({ mode: 'accept', source: 'api' });
    expect(await sendMail(s.address.port, 'a@sink.test')).toMatch(/^250 2\.0\.0/);
    const bad = await request(port, '/mode', { method: 'PUT', token: TOKEN, body: 'acept' });
    expect(bad.status).toBe(400);
    expect(errorCode(bad)).toBe('bad_request');
    expect((await request(port, '/mode')).json).toMatchObject({ mode: 'accept' });
  });

  it('PUT /mode takes a scenario document too; a bad one is a 400 naming the path into it', async () => {
    const { s, port } = await start({ modeProvider: apiModeProvider() });
    const put = await request(port, '/mode', { method: 'PUT', token: TOKEN, body: '{"rules":[{"reply":"bounce"}]}', headers: { 'content-type': 'application/json' } });
    expect(put.status, put.text).toBe(200);
    expect(put.json).toMatchObject({ kind: 'scenario', source: 'api' });
    expect(await sendMail(s.address.port, 'a@sink.test')).toMatch(/^550 5\.1\.1/);
    const bad = await request(port, '/mode', { method: 'PUT', token: TOKEN, body: '{"rules":[{"reply":"bounce","dealy":"1s"}]}' });
    expect(bad.status).toBe(400);
    expect((bad.json as { error: { message: string } }).error.message).toContain('rules[0].dealy');
    expect((await request(port, '/mode')).json).toMatchObject({ kind: 'scenario' });
  });

  it('GET /transactions lists accepted transactions (envelope, size, headers in accept-log; never the body)', async () => {
    const { s, port } = await start({ mode: 'accept-log' });
    await sendMail(s.address.port, 'one@sink.test', 'Subject: first\r\nX-Test: 1\r\n\r\nsecret body text\r\n');
    await sendMail(s.address.port, 'two@sink.test');
    const all = await request(port, '/transactions');
    expect(all.status).toBe(200);
    const body = all.json as { transactions: Record<string, unknown>[]; next: number };
    expect(body.transactions.map((t) => t['rcptTo'])).toEqual([['one@sink.test'], ['two@sink.test']]);
    expect(body.transactions[0]).toMatchObject({ seq: 1, mailFrom: 'sender@example.test', mode: 'accept-log', helo: 'http.test' });
    expect(body.transactions[0]?.['headers']).toContain('X-Test: 1');
    expect(all.text).not.toContain('secret body text');
    expect(body.next).toBe(2);
    const one = await request(port, '/transactions?rcpt=ONE@sink.test');
    expect((one.json as { transactions: unknown[] }).transactions).toHaveLength(1);
    const after = await request(port, `/transactions?since=${1}`);
    expect((after.json as { transactions: { seq: number }[] }).transactions.map((t) => t.seq)).toEqual([2]);
  });

  it('GET /transactions?wait= with nothing arriving answers an empty list when the wait is over', async () => {
    const { port } = await start({ mode: 'accept' });
    const r = await request(port, '/transactions?wait=200ms');
    expect(r.json).toEqual({ transactions: [], next: 0 });
  });

  it('GET /attempts lists the ledger, by key and by recipient; attempts() reads one key', async () => {
    const { s, port } = await start({ mode: 'defer' });
    await sendMail(s.address.port, 'qp+421x2.250@sink.test');
    await sendMail(s.address.port, 'qp+421x2.250@sink.test');
    await sendMail(s.address.port, 'other@sink.test');
    const all = await request(port, '/attempts');
    expect(all.status).toBe(200);
    const body = all.json as { size: number; entries: { key: string; attempts: number }[] };
    expect(body.size).toBe(2);
    expect(body.entries.map((e) => e.key).sort()).toEqual(['recipient:other@sink.test', 'recipient:qp+421x2.250@sink.test']);
    const one = await request(port, '/attempts?rcpt=QP%2B421x2.250@sink.test');
    expect((one.json as typeof body).entries).toMatchObject([{ key: 'recipient:qp+421x2.250@sink.test', attempts: 2 }]);
    const byKey = await request(port, '/attempts?key=recipient:other@sink.test');
    expect((byKey.json as typeof body).entries).toMatchObject([{ attempts: 1 }]);
    expect((await request(port, '/attempts?key=recipient:nobody@sink.test')).json).toMatchObject({ entries: [] });
    expect(s.attempts('qp+421x2.250@sink.test')?.attempts).toBe(2);
    expect(s.attempts('recipient:other@sink.test')?.attempts).toBe(1);
    expect((await request(port, '/attempts', { method: 'DELETE', token: TOKEN })).status).toBe(200);
    expect((await request(port, '/attempts')).json).toMatchObject({ size: 0, entries: [] });
  });

  it('DELETE /attempts clears the greylist table', async () => {
    const { s, port } = await start({ mode: 'greylist', greylist: { code: 451 } });
    expect(await sendMail(s.address.port, 'g@sink.test')).toMatch(/^451 4\.7\.1/);
    expect(await sendMail(s.address.port, 'g@sink.test')).toMatch(/^250 2\.0\.0/);
    const cleared = await request(port, '/attempts', { method: 'DELETE', token: TOKEN });
    expect(cleared.status).toBe(200);
    // Forgotten: the next attempt is a first attempt again.
    expect(await sendMail(s.address.port, 'g@sink.test')).toMatch(/^451 4\.7\.1/);
  });
});

describe('HTTP surface: error statuses', () => {
  it('400 for a bad query value, an unknown parameter and a wait over the bound', async () => {
    const { port } = await start({}, { limits: { maxWaitMs: 1_000 } });
    for (const path of ['/transactions?wait=soon', '/transactions?foo=1', '/transactions?wait=2s', '/transactions?limit=0', '/transactions?since=yesterday', '/metrics?x=1']) {
      const r = await request(port, path);
      expect(r.status, path).toBe(400);
      expect(errorCode(r), path).toBe('bad_request');
    }
  });

  it('404 for an unknown path, 405 with Allow for a method a route does not answer', async () => {
    const { port } = await start();
    const missing = await request(port, '/admin');
    expect(missing.status).toBe(404);
    expect(errorCode(missing)).toBe('not_found');
    const wrong = await request(port, '/metrics', { method: 'DELETE', token: TOKEN });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
    expect(errorCode(wrong)).toBe('method_not_allowed');
  });

  it('413 for a body over the bound, declared or streamed', async () => {
    const { port } = await start({ modeProvider: apiModeProvider() }, { limits: { maxBodyBytes: 64 } });
    const declared = await request(port, '/mode', { method: 'PUT', token: TOKEN, body: 'x'.repeat(65) });
    expect(declared.status).toBe(413);
    expect(errorCode(declared)).toBe('payload_too_large');
    const chunked = await rawExchange(
      port,
      [`PUT /mode HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${TOKEN}\r\ntransfer-encoding: chunked\r\n\r\n`, `40\r\n${'a'.repeat(64)}\r\n`, '1\r\nb\r\n', '0\r\n\r\n'],
      20,
    );
    expect(chunked.received).toMatch(/^HTTP\/1\.1 413 /);
  });
});

describe('HTTP surface: the token', () => {
  it('mutating routes on loopback: missing and wrong tokens are 401 with a Bearer challenge, the right one passes', async () => {
    const { port } = await start({ modeProvider: apiModeProvider() });
    const missing = await request(port, '/mode', { method: 'PUT', body: 'accept' });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((missing.json as { error: { message: string } }).error.message).toContain('Authorization: Bearer');
    const wrong = await request(port, '/mode', { method: 'PUT', body: 'accept', token: `${TOKEN}x` });
    expect(wrong.status).toBe(401);
    expect((wrong.json as { error: { message: string } }).error.message).toContain('does not match');
    const short = await request(port, '/attempts', { method: 'DELETE', token: 'x' });
    expect(short.status).toBe(401);
    expect((await request(port, '/mode', { method: 'PUT', body: 'accept', token: TOKEN })).status).toBe(200);
    expect((await request(port, '/attempts', { method: 'DELETE', token: TOKEN })).status).toBe(200);
  });

  it('without a token file, mutating routes always answer 401 and read-only ones stay open', async () => {
    const { port } = await start({ modeProvider: apiModeProvider() }, { token: undefined });
    const r = await request(port, '/mode', { method: 'PUT', body: 'accept', token: 'anything-at-all-12345' });
    expect(r.status).toBe(401);
    expect((r.json as { error: { message: string } }).error.message).toContain('--http-token-file');
    expect((await request(port, '/mode')).status).toBe(200);
  });

  it('bound beyond loopback, every route needs the token', async () => {
    const { port } = await start({}, { host: '0.0.0.0' });
    for (const path of ['/metrics', '/healthz', '/mode', '/attempts', '/transactions', '/nowhere']) {
      const r = await request(port, path);
      expect(r.status, path).toBe(401);
      expect((await request(port, path, { token: `${TOKEN}-wrong` })).status, path).toBe(401);
    }
    expect((await request(port, '/metrics', { token: TOKEN })).status).toBe(200);
    expect((await request(port, '/nowhere', { token: TOKEN })).status).toBe(404);
  });

  it('refuses to start beyond loopback without a token', async () => {
    await expect(startSinkhole({ http: { host: '0.0.0.0', port: 0 } })).rejects.toThrow(/every route needs a token/);
  });
});

describe('HTTP surface: slow clients', () => {
  it('a client sending its headers one byte at a time is disconnected at the header timeout', async () => {
    const { port } = await start({}, { limits: { headersTimeoutMs: 500 } });
    const bytes = 'GET /metrics HTTP/1.1\r\nhost: 127.0.0.1\r\nx-padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n'.split('');
    const result = await rawExchange(port, bytes, 50);
    // Cut off long before it could finish (about 90 bytes at 50 ms each), and never answered 200.
    expect(result.sentChunks).toBeLessThan(bytes.length);
    expect(result.received).not.toMatch(/^HTTP\/1\.1 200/);
  });
});
