import { describe, expect, it } from 'vitest';
import type { ReceivedMessage } from '../../src/policy.js';
import { HeaderBudget } from '../../src/wire/header-budget.js';
import { HeaderCapture } from '../../src/wire/header-capture.js';
import { ProtocolHarness, sharedSettings } from '../support/protocol-harness.js';

const OPEN = 'EHLO c\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nDATA\r\n';

describe('maxHeaderBytesTotal: one header budget for all sessions', () => {
  it('HeaderCapture cuts the headers when the shared budget runs out, and release() gives the bytes back', () => {
    const budget = new HeaderBudget(10);
    const capture = new HeaderCapture(1000, budget);
    capture.push(Buffer.from('Subject: hello world\r\n\r\n'));
    expect(capture.result()?.toString()).toBe('Subject: h');
    expect(capture.truncated).toBe(true);
    expect(capture.starved).toBe(true);
    expect(budget.available).toBe(0);
    capture.release();
    expect(budget.available).toBe(10);
  });

  it('a session stalled in its headers holds budget; another is cut (and told) until it lets go', () => {
    const shared = sharedSettings({ limits: { maxHeaderBytesTotal: 64 } });
    const budget = shared.settings.headerBudget;
    const seen: ReceivedMessage[] = [];
    const policy = { captureHeaders: true, onDataEnd: (m: ReceivedMessage) => void seen.push(m) };
    const stalled = new ProtocolHarness({ policy, shared }).send(`${OPEN}X-Pad: ${'a'.repeat(50)}\r\n`);
    expect(budget.available).toBe(5);
    const other = new ProtocolHarness({ policy, shared }).send(`${OPEN}Subject: a subject\r\n\r\nbody\r\n.\r\n`);
    expect(seen[0]?.headers?.toString()).toBe('Subje');
    expect(seen[0]?.headersTruncated).toBe(true);
    expect(other.events.some((e) => e.type === 'limit' && e.limit === 'maxHeaderBytesTotal')).toBe(true);
    expect(stalled.events.some((e) => e.type === 'limit' && e.limit === 'maxHeaderBytesTotal')).toBe(false);
    expect(budget.available).toBe(5);
    stalled.send('\r\nbody\r\n.\r\n');
    expect(budget.available).toBe(64);
    expect(seen[1]?.headers?.toString()).toBe(`X-Pad: ${'a'.repeat(50)}\r\n`);
  });

  it('a session that goes away in the middle of DATA gives its header bytes back', () => {
    const shared = sharedSettings({ limits: { maxHeaderBytesTotal: 1000 } });
    const budget = shared.settings.headerBudget;
    const h = new ProtocolHarness({ policy: { captureHeaders: true }, shared }).send(`${OPEN}X-Pad: ${'a'.repeat(100)}\r\n`);
    expect(budget.available).toBeLessThan(1000);
    h.protocol.destroyed('peer-closed');
    expect(budget.available).toBe(1000);
  });

  it('a session shut by a 421 in DATA (idle timeout) gives its header bytes back', () => {
    const shared = sharedSettings({ limits: { maxHeaderBytesTotal: 1000 } });
    const budget = shared.settings.headerBudget;
    const h = new ProtocolHarness({ policy: { captureHeaders: true }, shared }).send(`${OPEN}X-Pad: ${'a'.repeat(100)}\r\n`);
    h.protocol.timeout();
    expect(h.endReason).toBe('idle-timeout');
    expect(budget.available).toBe(1000);
  });

  it('an oversized message and a failing end-of-data hook give their bytes back', async () => {
    const small = sharedSettings({ limits: { maxHeaderBytesTotal: 1000, maxMessageSize: 50 } });
    const big = new ProtocolHarness({ policy: { captureHeaders: true }, shared: small });
    big.send(`${OPEN}X-Pad: ${'a'.repeat(100)}\r\n\r\n.\r\n`);
    expect(big.codes.at(-1)).toBe(552);
    expect(small.settings.headerBudget.available).toBe(1000);
    const shared = sharedSettings({ limits: { maxHeaderBytesTotal: 1000 } });
    const failing = new ProtocolHarness({ policy: { captureHeaders: true, onDataEnd: () => Promise.reject(new Error('x')) }, shared });
    failing.send(`${OPEN}Subject: s\r\n\r\n.\r\n`);
    expect(shared.settings.headerBudget.available).toBeLessThan(1000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(failing.codes.at(-1)).toBe(451);
    expect(shared.settings.headerBudget.available).toBe(1000);
  });
});
