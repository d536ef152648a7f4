import { describe, expect, it } from 'vitest';
import type { SessionPolicy } from '../../src/policy.js';
import { reply } from '../../src/protocol/replies.js';
import { policyAction } from '../../src/policy-action.js';
import { ManualClock, ProtocolHarness } from '../support/protocol-harness.js';
import { protocolSettings } from '../../src/session/protocol-settings.js';

const lmtp = (policy: SessionPolicy = {}): ProtocolHarness => new ProtocolHarness({ policy, shared: { settings: protocolSettings({ hostname: 'mx.test', protocol: 'lmtp' }), events: [] } });
const TXN = 'LHLO c\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<a@x>\r\nRCPT TO:<b@x>\r\nRCPT TO:<c@x>\r\n';

describe('SmtpProtocol: LMTP (RFC 2033)', () => {
  it('LHLO is the greeting; EHLO and HELO get 500 (§4.1); the greeting names LMTP', () => {
    const h = lmtp().send('EHLO c\r\nHELO c\r\nLHLO c\r\n');
    expect(h.lines[0]).toBe('220 mx.test LMTP ready');
    expect(h.replies.slice(1, 3)).toEqual(['500 5.5.1 This is an LMTP server: use LHLO', '500 5.5.1 This is an LMTP server: use LHLO']);
    expect(h.lines).toContain('250-PIPELINING');
  });

  it('SMTP does not know LHLO', () => {
    expect(new ProtocolHarness().send('LHLO c\r\n').replies.at(-1)).toBe('502 5.5.1 Command not implemented');
  });

  it('after the final dot: one reply per accepted recipient, in RCPT order, from onDataEndForRecipient', () => {
    const asked: string[] = [];
    const policy: SessionPolicy = {
      onRcptTo: (to) => (to.address === 'c@x' ? reply(550, '5.1.1', 'unknown') : undefined),
      onDataEndForRecipient: (_m, recipient) => {
        asked.push(recipient.address);
        return recipient.address === 'b@x' ? reply(452, '4.2.2', 'mailbox full') : undefined;
      },
    };
    const h = lmtp(policy).send(TXN, 'DATA\r\nSubject: x\r\n\r\nbody\r\n.\r\nNOOP\r\n');
    expect(h.replies.slice(-3)).toEqual(['250 2.0.0 OK: message accepted', '452 4.2.2 mailbox full', '250 2.0.0 OK']);
    expect(asked).toEqual(['a@x', 'b@x']);
  });

  it('without the per-recipient hook every recipient gets onDataEnd\'s decision; BDAT LAST too', () => {
    const h = lmtp({ onDataEnd: () => reply(451, '4.3.0', 'later') }).send('LHLO c\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<a@x>\r\nRCPT TO:<b@x>\r\nBDAT 3 LAST\r\nabcQUIT\r\n');
    expect(h.replies.slice(-3)).toEqual(['451 4.3.0 later', '451 4.3.0 later', '221 2.0.0 Bye']);
  });

  it('async per-recipient decisions keep their order', async () => {
    const policy: SessionPolicy = {
      onDataEndForRecipient: async (_m, recipient) => (recipient.address === 'a@x' ? reply(550, '5.7.1', 'no') : undefined),
    };
    const h = lmtp(policy).send('LHLO c\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<a@x>\r\nRCPT TO:<b@x>\r\nDATA\r\nx\r\n.\r\nNOOP\r\n');
    await new Promise((r) => setTimeout(r, 20));
    expect(h.replies.slice(-3)).toEqual(['550 5.7.1 no', '250 2.0.0 OK: message accepted', '250 2.0.0 OK']);
  });

  it('a delayed end-of-data decision, then each recipient\'s reply (and a delayed recipient reply)', () => {
    const clock = new ManualClock();
    const policy: SessionPolicy = {
      onDataEnd: () => policyAction({ delayMs: 1000 }),
      onDataEndForRecipient: (_m, recipient) => (recipient.address === 'b@x' ? policyAction({ reply: reply(452, '4.2.2', 'full'), delayMs: 500 }) : undefined),
    };
    const h = new ProtocolHarness({ policy, shared: { settings: protocolSettings({ hostname: 'mx.test', protocol: 'lmtp', clock }), events: [] } });
    h.send('LHLO c\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<a@x>\r\nRCPT TO:<b@x>\r\nDATA\r\nx\r\n.\r\nNOOP\r\n');
    expect(h.codes.at(-1)).toBe(354);
    clock.advance(1000);
    expect(h.replies.at(-1)).toBe('250 2.0.0 OK: message accepted');
    clock.advance(500);
    expect(h.replies.slice(-2)).toEqual(['452 4.2.2 full', '250 2.0.0 OK']);
  });

  it('the protocol option is checked', () => {
    expect(() => protocolSettings({ hostname: 'mx.test', protocol: 'x' as 'lmtp' })).toThrow(/protocol must be 'smtp' or 'lmtp'/);
  });
});
