import { describe, expect, it } from 'vitest';
import { ReplyCounts } from '../src/reply-counts.js';
import { ProtocolHarness } from './support/protocol-harness.js';

describe('ReplyCounts', () => {
  it('counts per code, in the order the codes first appeared, as a read-only map', () => {
    const counts = new ReplyCounts();
    for (const code of [220, 250, 250, 354, 250, 221]) counts.count(code);
    expect(counts.size).toBe(4);
    expect([...counts]).toEqual([[220, 1], [250, 3], [354, 1], [221, 1]]);
    expect([...counts.keys()]).toEqual([220, 250, 354, 221]);
    expect([...counts.values()]).toEqual([1, 3, 1, 1]);
    expect(counts.get(250)).toBe(3);
    expect(counts.get(550)).toBeUndefined();
    expect(counts.has(354)).toBe(true);
    expect(counts.has(500)).toBe(false);
    const seen: string[] = [];
    counts.forEach((count, code, map) => {
      seen.push(`${code}=${count}:${map === counts}`);
    });
    expect(seen).toEqual(['220=1:true', '250=3:true', '354=1:true', '221=1:true']);
    expect(Object.fromEntries(counts)).toEqual({ 220: 1, 250: 3, 354: 1, 221: 1 });
  });

  it('is live on the session: every reply sent is counted', () => {
    const h = new ProtocolHarness();
    const counts = h.session.replyCounts;
    h.send('EHLO c\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nBOGUS\r\n');
    expect(Object.fromEntries(counts)).toEqual({ 220: 1, 250: 3, 500: 1 });
    h.send('QUIT\r\n');
    expect(counts.get(221)).toBe(1);
  });
});
