import { createManualClock } from '@sinkhole/test-kit';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GREYLIST } from '../../src/greylist/greylist-options.js';
import { Greylister } from '../../src/greylist/greylister.js';
import { AttemptLedger } from '../../src/ledger/attempt-ledger.js';
import { DEFAULT_LEDGER } from '../../src/ledger/ledger-options.js';
import { SinkholeLog } from '../../src/log/sinkhole-log.js';
import { ModeSelector } from '../../src/mode/mode-selector.js';
import { sinkholePolicy } from '../../src/policy/sinkhole-policy.js';
import { ProtocolSession } from '../support/protocol-session.js';

function setup(mode: string, lmtp: boolean) {
  const lines: Record<string, unknown>[] = [];
  const clock = createManualClock(0);
  const log = new SinkholeLog({ sink: (line) => lines.push(JSON.parse(line) as Record<string, unknown>), level: 'info' });
  const modes = new ModeSelector({ mode, clock, onEvent: () => undefined });
  const factory = sinkholePolicy(modes, { log, greylister: new Greylister(DEFAULT_GREYLIST, clock), ledger: new AttemptLedger(DEFAULT_LEDGER, clock), addressScripts: true, lmtp });
  return { factory, lines };
}

describe('the sinkhole over LMTP (sans I/O)', () => {
  it('address-script and scenario rcpt outcomes become per-recipient replies after the data, in RCPT order', () => {
    const document = { otherwise: 'accept', rules: [{ to: '*+full@*', reply: '452 4.2.2 Mailbox full' }] };
    const { factory, lines } = setup(JSON.stringify(document), true);
    const s = new ProtocolSession(factory, { protocol: 'lmtp' });
    const rcpt = s.send('LHLO c.test', 'MAIL FROM:<a@example.test>', 'RCPT TO:<a+250@sink.test>', 'RCPT TO:<b+452@sink.test>', 'RCPT TO:<c+full@sink.test>', 'RCPT TO:<d+550@sink.test>');
    expect(rcpt.slice(2)).toEqual(['250 2.1.5 OK', '250 2.1.5 OK', '250 2.1.5 OK', '250 2.1.5 OK']);
    const after = s.send('DATA', 'Subject: x', '', 'body', '.');
    expect(after.slice(1)).toEqual([expect.stringMatching(/^250 /), expect.stringMatching(/^452 /), '452 4.2.2 Mailbox full', expect.stringMatching(/^550 /)]);
    s.send('QUIT');
    s.close('quit');
    const connection = lines.find((l) => l['msg'] === 'connection');
    expect(((connection?.['recipients'] ?? []) as { code: number }[]).map((r) => r.code)).toEqual([250, 452, 452, 550]);
  });

  it('EHLO is refused with 500; a 421 recipient stays at RCPT and closes', () => {
    const { factory } = setup('accept', true);
    const s = new ProtocolSession(factory, { protocol: 'lmtp' });
    expect(s.send('EHLO c.test')[0]).toMatch(/^500 5\.5\.1 /);
    expect(s.send('LHLO c.test', 'MAIL FROM:<a@example.test>', 'RCPT TO:<q+421@sink.test>').at(-1)).toMatch(/^421 /);
  });
});

describe('the sinkhole with BDAT (sans I/O)', () => {
  it('the accepted line says body "bdat" with the chunk count; a DATA message has neither', () => {
    const { factory, lines } = setup('accept', false);
    const s = new ProtocolSession(factory);
    s.write('EHLO c\r\nMAIL FROM:<a@example.test>\r\nRCPT TO:<x@sink.test>\r\nBDAT 3\r\nabcBDAT 5 LAST\r\nd\r\n\r\n');
    s.write('MAIL FROM:<a@example.test>\r\nRCPT TO:<x@sink.test>\r\nDATA\r\nabc\r\n.\r\n');
    const accepted = lines.filter((l) => l['msg'] === 'accepted');
    expect(s.replies.slice(-3), JSON.stringify(s.replies)).toEqual(['250 2.1.5 OK', '354 End data with <CR><LF>.<CR><LF>', '250 2.0.0 OK: message accepted']);
    expect(accepted[0]).toMatchObject({ body: 'bdat', chunks: 2, size: 8 });
    expect(accepted[1]).not.toHaveProperty('body');
    expect(accepted[1]).not.toHaveProperty('chunks');
  });

  it('a scenario data rule answers the first BDAT chunk (drained), as it answers DATA', () => {
    const { factory } = setup(JSON.stringify({ otherwise: 'accept', rules: [{ on: 'data', reply: '554 5.7.1 No data today' }] }), false);
    const s = new ProtocolSession(factory);
    expect(s.write('EHLO c\r\nMAIL FROM:<a@example.test>\r\nRCPT TO:<x@sink.test>\r\nBDAT 6 LAST\r\nQUIT\r\nNOOP\r\n').slice(-2)).toEqual(['554 5.7.1 No data today', '250 2.0.0 OK']);
  });
});
