// Greylisting keyed by client IP, seen from two loopback source addresses (127.0.0.1 and
// 127.0.0.2): Linux answers on all of 127.0.0.0/8, other systems may not, so out of the fast tier.
import { createManualClock } from '@sinkhole/test-kit';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startSinkhole, type Sinkhole } from '../../src/index.js';
import { removeTestBundles } from '../support/bundle.js';
import { greeted, rcptReply, sinkhole } from '../support/sessions.js';

const started: Sinkhole[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close({ graceMs: 100 })));
});
afterAll(async () => {
  await removeTestBundles();
});

async function start(options: Parameters<typeof startSinkhole>[0]): Promise<Sinkhole> {
  const s = await startSinkhole({ hostname: 'sink.test', ...options });
  started.push(s);
  return s;
}

describe('greylist (the bundle)', () => {
  it('over the wire: a first attempt per client IP gets 421 4.7.1 and a close, a retry from the same IP passes', async () => {
    const s = await sinkhole('greylist', ['--greylist-min-delay', '0s']);
    const attempt = async (localAddress: string): Promise<string> => {
      const c = await greeted(s.port, localAddress);
      await c.command('MAIL FROM:<a@example.test>');
      const r = await c.command('RCPT TO:<x@sinkhole.test>');
      if (r.code === 421) expect((await c.ending()).ending).toBe('eof');
      else await c.command('QUIT');
      c.close();
      return r.last;
    };
    expect(await attempt('127.0.0.1')).toBe('421 4.7.1 Greylisted, please try again later');
    expect(await attempt('127.0.0.1')).toBe('250 2.1.5 OK');
    expect(await attempt('127.0.0.2')).toBe('421 4.7.1 Greylisted, please try again later');
    expect(await attempt('127.0.0.2')).toBe('250 2.1.5 OK');
    expect(await attempt('127.0.0.1')).toBe('250 2.1.5 OK');
    await s.stop();
  });
});

describe('greylist (startSinkhole)', () => {
  it('greylist over sockets with an injected clock: no sleeping through the window', async () => {
    const clock = createManualClock(0);
    const s = await start({ mode: 'greylist', clock, greylist: { windowMs: 60_000, minDelayMs: 10_000 } });
    expect(await rcptReply(s.address.port, '127.0.0.1')).toBe('421 4.7.1 Greylisted, please try again later');
    expect(await rcptReply(s.address.port, '127.0.0.1')).toBe('421 4.7.1 Greylisted, please try again later');
    clock.advance(10_000);
    expect(await rcptReply(s.address.port, '127.0.0.1')).toBe('250 2.1.5 OK');
    expect(await rcptReply(s.address.port, '127.0.0.2')).toBe('421 4.7.1 Greylisted, please try again later');
    clock.advance(50_000);
    expect(await rcptReply(s.address.port, '127.0.0.1')).toBe('421 4.7.1 Greylisted, please try again later');
  });
});
