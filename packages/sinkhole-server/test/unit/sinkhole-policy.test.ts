import { createManualClock, type ManualClock } from '@sinkhole/test-kit';
import type { ModeProvider } from '@sinkhole/mode-providers';
import type { Mode } from '../../src/mode/mode.js';
import type { PolicyFactory, SessionPolicy } from '@sinkhole/smtp-core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GREYLIST, type GreylistOptions } from '../../src/greylist/greylist-options.js';
import { Greylister } from '../../src/greylist/greylister.js';
import { AttemptLedger } from '../../src/ledger/attempt-ledger.js';
import { DEFAULT_LEDGER } from '../../src/ledger/ledger-options.js';
import { SinkholeLog } from '../../src/log/sinkhole-log.js';
import { ModeSelector } from '../../src/mode/mode-selector.js';
import { ModePlans } from '../../src/policy/mode-plan.js';
import { sinkholePolicy } from '../../src/policy/sinkhole-policy.js';
import { ProtocolSession } from '../support/protocol-session.js';

interface Setup {
  readonly factory: PolicyFactory;
  readonly modes: ModeSelector;
  readonly lines: Record<string, unknown>[];
  readonly clock: ManualClock;
  readonly ledger: AttemptLedger;
}

function setup(mode: string, options: { greylist?: Partial<GreylistOptions>; level?: 'info' | 'warn'; provider?: ModeProvider; ttl?: number; scripts?: boolean } = {}): Setup {
  const lines: Record<string, unknown>[] = [];
  const log = new SinkholeLog({ sink: (line) => lines.push(JSON.parse(line) as Record<string, unknown>), level: options.level ?? 'info' });
  const clock = createManualClock(0);
  const modes = new ModeSelector({
    ...(options.provider === undefined ? { mode } : { modeProvider: options.provider, cacheTtlMs: options.ttl ?? 30_000 }),
    clock,
    onEvent: () => undefined,
  });
  const greylister = new Greylister({ ...DEFAULT_GREYLIST, ...options.greylist }, clock);
  const ledger = new AttemptLedger(DEFAULT_LEDGER, clock);
  return { factory: sinkholePolicy(modes, { log, greylister, ledger, addressScripts: options.scripts ?? true }), modes, lines, clock, ledger };
}

/** EHLO, MAIL, the RCPTs: every reply of the session so far (greeting included). */
function transaction(s: ProtocolSession, rcpts: readonly string[] = ['x@sinkhole.test']): string[] {
  s.send('EHLO client.test', 'MAIL FROM:<a@example.test>', ...rcpts.map((r) => `RCPT TO:<${r}>`));
  return s.replies;
}

describe('per-mode replies (sans I/O)', () => {
  it('defer: 421 4.3.2 on RCPT TO, and the session ends', () => {
    const s = new ProtocolSession(setup('defer').factory);
    expect(transaction(s, ['x@sinkhole.test', 'y@sinkhole.test'])).toEqual([
      '220 sink.test ESMTP ready',
      '250 BINARYMIME',
      '250 2.1.0 OK',
      '421 4.3.2 Service temporarily unavailable',
    ]);
    expect(s.endReason).toBe('reply-421');
  });

  it('bounce: 550 5.1.1 on every RCPT TO, then DATA gets 554 5.5.1', () => {
    const s = new ProtocolSession(setup('bounce').factory);
    expect(transaction(s, ['x@sinkhole.test', 'y@sinkhole.test']).slice(3)).toEqual(['550 5.1.1 User unknown', '550 5.1.1 User unknown']);
    expect(s.send('DATA')).toEqual(['554 5.5.1 No valid recipients']);
    expect(s.endReason).toBeUndefined();
  });

  it('accept: 250, 354, 250; the body is not kept', () => {
    const { factory, lines } = setup('accept');
    const s = new ProtocolSession(factory);
    expect(transaction(s).slice(3)).toEqual(['250 2.1.5 OK']);
    expect(s.send('DATA')).toEqual(['354 End data with <CR><LF>.<CR><LF>']);
    expect(s.write('Subject: x\r\n\r\nsecret body\r\n.\r\n')).toEqual(['250 2.0.0 OK: message accepted']);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ msg: 'accepted', mode: 'accept', rcptTo: ['x@sinkhole.test'], size: 27 });
    expect(lines[0]).not.toHaveProperty('headers');
  });

  it('accept-log: the accepted line has the headers (capped) and nothing of the body', () => {
    const { factory, lines } = setup('accept-log');
    const s = new ProtocolSession(factory, { limits: { maxHeaderBytes: 40 } });
    transaction(s, ['x@sinkhole.test', 'y@sinkhole.test']);
    s.send('DATA');
    s.write('Subject: short\r\n\r\nBODYTOKEN\r\n.\r\n');
    s.send('MAIL FROM:<b@example.test>', 'RCPT TO:<z@sinkhole.test>', 'DATA');
    s.write(`Subject: ${'long '.repeat(20)}\r\nX-After: cut\r\n\r\nBODYTOKEN\r\n.\r\n`);
    expect(lines.map((l) => [l['mailFrom'], l['rcptTo'], l['headers'], l['headersTruncated']])).toEqual([
      ['a@example.test', ['x@sinkhole.test', 'y@sinkhole.test'], 'Subject: short\r\n', false],
      ['b@example.test', ['z@sinkhole.test'], `Subject: ${'long '.repeat(20)}`.slice(0, 40), true],
    ]);
    expect(JSON.stringify(lines)).not.toContain('BODYTOKEN');
  });

  it('reply mode: the operator reply on every RCPT TO; a 2xx one accepts the message', () => {
    const s = new ProtocolSession(setup('reply:452 4.2.2 Mailbox full').factory);
    expect(transaction(s, ['x@sinkhole.test', 'y@sinkhole.test']).slice(3)).toEqual(['452 4.2.2 Mailbox full', '452 4.2.2 Mailbox full']);
    const { factory, lines } = setup('reply:250 2.1.5 Recipient ok');
    const ok = new ProtocolSession(factory);
    expect(transaction(ok).slice(3)).toEqual(['250 2.1.5 Recipient ok']);
    ok.send('DATA');
    expect(ok.write('\r\n.\r\n')).toEqual(['250 2.0.0 OK: message accepted']);
    expect(lines[0]).toMatchObject({ msg: 'accepted', mode: 'reply:250 2.1.5 Recipient ok' });
  });
});

describe('greylist with an injected clock', () => {
  it('first attempt per IP gets 421 4.7.1; another connection passes until the window ends, then it is new again', () => {
    const { factory, clock } = setup('greylist', { greylist: { windowMs: 30 * 60_000 } });
    const attempt = (ip: string): string => transaction(new ProtocolSession(factory, { remoteAddress: ip })).at(-1) as string;
    expect(attempt('192.0.2.1')).toBe('421 4.7.1 Greylisted, please try again later');
    expect(attempt('::ffff:192.0.2.1')).toBe('250 2.1.5 OK');
    expect(attempt('192.0.2.2')).toBe('421 4.7.1 Greylisted, please try again later');
    clock.advance(30 * 60_000);
    expect(attempt('192.0.2.1')).toBe('421 4.7.1 Greylisted, please try again later');
    expect(attempt('192.0.2.1')).toBe('250 2.1.5 OK');
  });

  it('a minimum delay makes quick retries greylisted again', () => {
    const { factory, clock } = setup('greylist', { greylist: { minDelayMs: 5 * 60_000 } });
    const attempt = (): string => transaction(new ProtocolSession(factory)).at(-1) as string;
    expect(attempt()).toMatch(/^421 4\.7\.1/);
    clock.advance(4 * 60_000);
    expect(attempt()).toMatch(/^421 4\.7\.1/);
    clock.advance(60_000);
    expect(attempt()).toBe('250 2.1.5 OK');
  });

  it('451 + triplet: the session stays open and each new sender/recipient pair is greylisted once', () => {
    const { factory } = setup('greylist', { greylist: { code: 451, key: 'triplet' } });
    const first = new ProtocolSession(factory);
    expect(transaction(first, ['x@sinkhole.test', 'y@sinkhole.test']).slice(3)).toEqual([
      '451 4.7.1 Greylisted, please try again later',
      '451 4.7.1 Greylisted, please try again later',
    ]);
    expect(first.endReason).toBeUndefined();
    const second = new ProtocolSession(factory);
    expect(transaction(second, ['X@SINKHOLE.TEST', 'z@sinkhole.test']).slice(3)).toEqual(['250 2.1.5 OK', '451 4.7.1 Greylisted, please try again later']);
  });
});

describe('the connection log line', () => {
  it('has client, mode, HELO, MAIL FROM, every RCPT TO, the codes, bytes, duration and reason', () => {
    const { factory, lines } = setup('bounce');
    const s = new ProtocolSession(factory, { remoteAddress: '2001:db8::7' });
    transaction(s, ['x@sinkhole.test', 'y@sinkhole.test']);
    s.send('QUIT');
    s.close('quit');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'info',
      msg: 'connection',
      id: s.session.id,
      client: `[2001:db8::7]:${s.session.remotePort}`,
      mode: 'bounce',
      helo: 'client.test',
      mailFrom: 'a@example.test',
      rcptTo: ['x@sinkhole.test', 'y@sinkhole.test'],
      rcptCount: 2,
      recipients: [
        { address: 'x@sinkhole.test', attempt: 1, code: 550 },
        { address: 'y@sinkhole.test', attempt: 1, code: 550 },
      ],
      messages: 0,
      replies: [220, 250, 550, 221],
      replyCounts: { '220': 1, '250': 2, '550': 2, '221': 1 },
      reason: 'quit',
    });
    expect(lines[0]?.['bytesIn']).toBe(s.session.bytesIn);
    expect(typeof lines[0]?.['durationMs']).toBe('number');
  });

  it('DSN: RET, ENVID, NOTIFY and ORCPT show in the accepted and connection lines (index for index with rcptTo) and in the ledger', () => {
    const { factory, lines, ledger } = setup('accept');
    const s = new ProtocolSession(factory);
    s.send(
      'EHLO client.test',
      'MAIL FROM:<a@example.test> RET=HDRS ENVID=QQ+2B1',
      'RCPT TO:<x@sinkhole.test>',
      'RCPT TO:<y@sinkhole.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;y+2Bz@sinkhole.test',
      'DATA',
    );
    s.write('Subject: x\r\n\r\nbody\r\n.\r\n');
    s.close('quit');
    const dsn = { ret: 'HDRS', envid: 'QQ+1', notify: [null, 'SUCCESS,FAILURE'], orcpt: [null, 'rfc822;y+z@sinkhole.test'] };
    expect(lines.map((l) => [l['msg'], l['dsn']])).toEqual([
      ['accepted', dsn],
      ['connection', dsn],
    ]);
    expect(ledger.get('recipient:x@sinkhole.test')?.history.map((h) => h.dsn)).toEqual([{ ret: 'HDRS', envid: 'QQ+1' }]);
    expect(ledger.get('recipient:y@sinkhole.test')?.history.map((h) => h.dsn)).toEqual([
      { ret: 'HDRS', envid: 'QQ+1', notify: 'SUCCESS,FAILURE', orcpt: 'rfc822;y+z@sinkhole.test' },
    ]);
  });

  it('without DSN parameters the lines have no dsn field', () => {
    const { factory, lines } = setup('accept');
    const s = new ProtocolSession(factory);
    transaction(s);
    s.send('DATA');
    s.write('x\r\n.\r\n');
    s.close('quit');
    expect(lines.map((l) => 'dsn' in l)).toEqual([false, false]);
  });

  it('keeps at most 100 recipients but counts them all', () => {
    const { factory, lines } = setup('accept');
    const s = new ProtocolSession(factory);
    transaction(s, Array.from({ length: 150 }, (_, i) => `r${i}@sinkhole.test`));
    s.close();
    expect(lines[0]?.['rcptCount']).toBe(150);
    expect(lines[0]?.['rcptTo']).toHaveLength(100);
    expect(lines[0]?.['recipients']).toHaveLength(100);
  });

  it('records every RCPT decision in the ledger, and the line carries each attempt number', () => {
    const { factory, lines, ledger, clock } = setup('bounce');
    for (let i = 0; i < 2; i++) {
      const s = new ProtocolSession(factory);
      transaction(s, ['Y@sinkhole.test']);
      s.close();
      clock.advance(1_000);
    }
    expect(lines.map((line) => line['recipients'])).toEqual([
      [{ address: 'Y@sinkhole.test', attempt: 1, code: 550 }],
      [{ address: 'Y@sinkhole.test', attempt: 2, code: 550 }],
    ]);
    const entry = ledger.get('recipient:y@sinkhole.test');
    expect(entry).toMatchObject({ kind: 'recipient', attempts: 2, firstSeen: 0, lastSeen: 1_000 });
    expect(entry?.history.map((h) => [h.outcome.code, h.outcome.enhanced, h.phase])).toEqual([
      [550, '5.1.1', 'rcpt'],
      [550, '5.1.1', 'rcpt'],
    ]);
  });

  it('at --log-level warn, nothing is logged and headers are not even captured', () => {
    const { factory, lines } = setup('accept-log', { level: 'warn' });
    let policy: SessionPolicy | undefined;
    const s = new ProtocolSession((session) => (policy = factory(session) as SessionPolicy));
    transaction(s);
    s.send('DATA');
    s.write('Subject: x\r\n\r\n.\r\n');
    s.close();
    expect(lines).toEqual([]);
    expect(policy?.captureHeaders).toBe(false);
  });
});

describe('the hot path', () => {
  it('the factory returns a policy object directly while the mode is fresh, and every hook answers synchronously', async () => {
    const provider: ModeProvider = { name: 'test', lookup: async () => 'accept' };
    const { factory, modes, clock } = setup('', { provider, ttl: 1_000 });
    const session = new ProtocolSession(() => ({})).session;
    const first = factory(session);
    expect(first).toBeInstanceOf(Promise);
    await first;
    const policy = factory(session);
    expect(policy).not.toBeInstanceOf(Promise);
    const p = policy as SessionPolicy;
    const path = { address: 'x@y.test', localPart: 'x', domain: 'y.test', sourceRoute: [], utf8: false };
    expect(p.onMailFrom?.(path, new Map(), session)).toBeUndefined();
    expect(p.onRcptTo?.(path, new Map(), session)).toBeUndefined();
    clock.advance(1_000);
    expect(factory(session)).toBeInstanceOf(Promise);
    expect(modes.describe()).toBe('accept');
  });

  it('one plan per mode value: the same Mode object maps to the same plan without formatting', () => {
    const plans = new ModePlans();
    const mode: Mode = { kind: 'reply', code: 452, enhanced: '4.2.2', text: 'Full' };
    const plan = plans.get(mode);
    expect(plans.get(mode)).toBe(plan);
    expect(plans.get({ ...mode })).toBe(plan);
    expect(plans.get({ kind: 'defer' })).not.toBe(plan);
  });
});


describe('address scripts', () => {
  it('t+250 is accepted while the mode is defer; others get the mode', () => {
    const s = new ProtocolSession(setup('defer').factory);
    expect(transaction(s, ['t+250@sinkhole.test', 'user+newsletter@sinkhole.test']).slice(3)).toEqual([
      '250 2.1.5 OK',
      '421 4.3.2 Service temporarily unavailable',
    ]);
  });

  it('qp-7+421x2.250: 421 (and a close), 421, then 250 from the third connection on, counted in the ledger', () => {
    const { factory, ledger, lines } = setup('accept');
    const answers: string[] = [];
    for (let i = 0; i < 4; i++) {
      const s = new ProtocolSession(factory);
      answers.push(...transaction(s, ['QP-7+421x2.250@sinkhole.test']).slice(3));
      if (i < 2) expect(s.endReason).toBe('reply-421');
      s.close();
    }
    expect(answers).toEqual(['421 4.3.2 Service temporarily unavailable', '421 4.3.2 Service temporarily unavailable', '250 2.1.5 OK', '250 2.1.5 OK']);
    expect(ledger.get('recipient:qp-7+421x2.250@sinkhole.test')?.history.map((h) => [h.attempt, h.outcome.code])).toEqual([
      [1, 421],
      [2, 421],
      [3, 250],
      [4, 250],
    ]);
    expect(lines.filter((l) => l['msg'] === 'connection').map((l) => (l['recipients'] as { attempt: number }[])[0]?.attempt)).toEqual([1, 2, 3, 4]);
  });

  it('421for20m.250 follows the injected clock', () => {
    const { factory, clock } = setup('accept');
    const answer = (): string | undefined => transaction(new ProtocolSession(factory), ['qp-8+421for20m.250@sinkhole.test'])[3];
    expect(answer()).toMatch(/^421 /);
    clock.advance(20 * 60_000 - 1);
    expect(answer()).toMatch(/^421 /);
    clock.advance(1);
    expect(answer()).toMatch(/^250 /);
  });

  it('a 550 script step keeps the session open for the next recipient', () => {
    const s = new ProtocolSession(setup('accept').factory);
    expect(transaction(s, ['a+550@sinkhole.test', 'b@sinkhole.test']).slice(3)).toEqual(['550 5.1.1 User unknown', '250 2.1.5 OK']);
    expect(s.send('DATA')).toEqual(['354 End data with <CR><LF>.<CR><LF>']);
  });

  it('--address-scripts off: a scripted address gets the mode', () => {
    const s = new ProtocolSession(setup('defer', { scripts: false }).factory);
    expect(transaction(s, ['t+250@sinkhole.test']).slice(3)).toEqual(['421 4.3.2 Service temporarily unavailable']);
  });
});
