// Prometheus against the sinkhole's /metrics: promtool validates the exposition, a real server
// (Debian's package) scrapes it every second and sees the counters move, and the example alert
// rules in deploy/prometheus pass promtool's rule tests.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sendWithNodemailer } from '../clients/nodemailer-send.js';
import { PROMTOOL_BIN, REPO_ROOT } from '../lib/paths.js';
import { PrometheusServer } from '../lib/prometheus-server.js';
import { runCommand } from '../lib/run-command.js';
import { Sinkhole } from '../lib/sinkhole.js';
import { makeTempDir, removeTempDir } from '../lib/temp-dir.js';
import { describeE2E } from '../lib/tier.js';

const TOKEN = 'e2e-prometheus-token-0123456789';
const DEPLOY = join(REPO_ROOT, 'deploy/prometheus');

describeE2E('Prometheus', () => {
  let dir: string;
  let sinkhole: Sinkhole;
  let httpPort: number;

  beforeAll(async () => {
    dir = await makeTempDir('prom-token');
    const tokenFile = join(dir, 'token');
    await writeFile(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
    sinkhole = await Sinkhole.start({ mode: 'defer', extraArgs: ['--http', '127.0.0.1:0', '--http-token-file', tokenFile] });
    const line = await sinkhole.waitForEvent((e) => e.msg === 'http-listening', 5_000, 'the http-listening line');
    httpPort = line['port'] as number;
  });

  afterAll(async () => {
    await sinkhole?.stop();
    if (dir !== undefined) await removeTempDir(dir);
  });

  async function scrape(): Promise<string> {
    const response = await fetch(`http://127.0.0.1:${httpPort}/metrics`);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    return response.text();
  }

  it('a real Prometheus scraping every second sees the counters move after a defer session and an accept session', async () => {
    const prometheus = await PrometheusServer.start([{ job: 'sinkhole', address: `127.0.0.1:${httpPort}`, token: TOKEN }]);
    try {
      await prometheus.waitForValue('up{job="sinkhole"}', (v) => v === 1, 20_000);
      expect(await prometheus.waitForValue('sinkhole_sessions_opened_total', () => true, 5_000)).toBe(0);

      const deferred = await sendWithNodemailer(sinkhole.port, 'app@prom.e2e.test', 'd@sinkhole.test');
      expect(deferred.ok).toBe(false);
      expect(deferred.responseCode).toBe(421);
      const defers = await prometheus.waitForValue('sinkhole_smtp_replies_total{code="421",phase="rcpt",mode="defer"}', (v) => v >= 1, 20_000);
      expect(defers).toBe(1);
      expect(await prometheus.waitForValue('sinkhole_mode_info{mode="defer",source="file"}', (v) => v === 1, 10_000)).toBe(1);

      await sinkhole.setMode('accept');
      const accepted = await sendWithNodemailer(sinkhole.port, 'app@prom.e2e.test', 'a@sinkhole.test');
      expect(accepted.ok, JSON.stringify(accepted)).toBe(true);
      expect(await prometheus.waitForValue('sinkhole_messages_accepted_total{mode="accept"}', (v) => v >= 1, 20_000)).toBe(1);
      expect(await prometheus.waitForValue('sinkhole_sessions_opened_total', (v) => v >= 2, 10_000)).toBe(2);
      expect(await prometheus.waitForValue('sinkhole_message_body_bytes_total{mode="accept"}', (v) => v > 0, 10_000)).toBeGreaterThan(0);
      expect(await prometheus.waitForValue('sinkhole_mode_info{mode="accept",source="file"}', (v) => v === 1, 10_000)).toBe(1);
      // A rate over the scrapes, as a dashboard would ask it.
      expect(await prometheus.waitForValue('sum(increase(sinkhole_sessions_closed_total[1m]))', (v) => v > 0, 10_000)).toBeGreaterThan(0);
      const targets = await prometheus.targets();
      expect(targets.map((t) => [t.health, t.lastError])).toEqual([['up', '']]);
    } finally {
      await prometheus.stop();
    }
  });

  it('GET /metrics passes promtool check metrics (after SMTP and HTTP traffic, so labelled series exist)', async () => {
    await sendWithNodemailer(sinkhole.port, 'app@prom.e2e.test', 'b@sinkhole.test');
    await fetch(`http://127.0.0.1:${httpPort}/nowhere`);
    const text = await scrape();
    expect(text).toContain('sinkhole_http_requests_total{route="unmatched",method="GET",status="404"}');
    const result = await runCommand(PROMTOOL_BIN, ['check', 'metrics'], { input: text, timeoutMs: 20_000 });
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
  });

  it('promtool check metrics does fail on a broken exposition (the check is real)', async () => {
    const broken = (await scrape()).replace('# TYPE sinkhole_sessions_opened_total counter', '# TYPE sinkhole_sessions_opened_total gauge');
    const result = await runCommand(PROMTOOL_BIN, ['check', 'metrics'], { input: broken, timeoutMs: 20_000 });
    expect(`${result.stdout}${result.stderr}`).toMatch(/sinkhole_sessions_opened_total/);
  });

  it('deploy/prometheus: the scrape config and the rules are valid, and the rule tests (firing and quiet cases) pass', async () => {
    const config = await runCommand(PROMTOOL_BIN, ['check', 'config', '--syntax-only', join(DEPLOY, 'prometheus.yml')], { timeoutMs: 20_000 });
    expect(config.code, `${config.stdout}\n${config.stderr}`).toBe(0);
    const rules = await runCommand(PROMTOOL_BIN, ['check', 'rules', join(DEPLOY, 'sinkhole-rules.yml')], { timeoutMs: 20_000 });
    expect(rules.code, `${rules.stdout}\n${rules.stderr}`).toBe(0);
    expect(rules.stdout).toContain('SUCCESS: 2 rules found');
    const tests = await runCommand(PROMTOOL_BIN, ['test', 'rules', join(DEPLOY, 'tests/sinkhole-rules.test.yml')], { timeoutMs: 30_000 });
    expect(tests.code, `${tests.stdout}\n${tests.stderr}`).toBe(0);
    expect(tests.stdout).toContain('SUCCESS');
  });
});
