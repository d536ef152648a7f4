import { describe, expect, it } from 'vitest';
import { SessionMeter } from '../../../src/metrics/mode-meters.js';
import { SinkholeMetrics } from '../../../src/metrics/sinkhole-metrics.js';

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('SessionMeter', () => {
  it('counts RCPT and end-of-data replies as decided, and the rest of the session at close, each reply once', () => {
    const metrics = new SinkholeMetrics();
    const meter = new SessionMeter(metrics.forMode('accept'));
    meter.rcpt(250);
    meter.rcpt(250);
    meter.accepted(1024);
    // The engine's tally: greeting 220, EHLO 250, MAIL 250, two RCPT 250, DATA 354, end 250, QUIT 221.
    meter.closed(new Map([[220, 1], [250, 5], [354, 1], [221, 1]]));
    const text = metrics.render();
    expect(sample(text, 'sinkhole_smtp_replies_total{code="250",phase="rcpt",mode="accept"}')).toBe(2);
    expect(sample(text, 'sinkhole_smtp_replies_total{code="250",phase="data-end",mode="accept"}')).toBe(1);
    expect(sample(text, 'sinkhole_smtp_replies_total{code="250",phase="other",mode="accept"}')).toBe(2);
    expect(sample(text, 'sinkhole_smtp_replies_total{code="220",phase="other",mode="accept"}')).toBe(1);
    expect(sample(text, 'sinkhole_smtp_replies_total{code="354",phase="other",mode="accept"}')).toBe(1);
    expect(sample(text, 'sinkhole_messages_accepted_total{mode="accept"}')).toBe(1);
    expect(sample(text, 'sinkhole_message_body_bytes_total{mode="accept"}')).toBe(1024);
  });

  it('a defer session: the RCPT 421 under rcpt, nothing counted twice', () => {
    const metrics = new SinkholeMetrics();
    const meter = new SessionMeter(metrics.forMode('defer'));
    meter.rcpt(421);
    meter.closed(new Map([[220, 1], [250, 2], [421, 1]]));
    const text = metrics.render();
    expect(sample(text, 'sinkhole_smtp_replies_total{code="421",phase="rcpt",mode="defer"}')).toBe(1);
    expect(text).not.toContain('code="421",phase="other"');
    expect(sample(text, 'sinkhole_smtp_replies_total{code="250",phase="other",mode="defer"}')).toBe(2);
  });
});
