import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketOf, LatencyHistogram, bucketFloor } from '../src/stats/latency-histogram.js';
import { median, ratio, spread } from '../src/stats/summary.js';

describe('LatencyHistogram', () => {
  it('is exact below 128 µs', () => {
    const h = new LatencyHistogram();
    for (let v = 1; v <= 100; v++) h.record(v);
    expect(h.quantile(0.5)).toBe(50);
    expect(h.quantile(0.99)).toBe(99);
    expect(h.quantile(1)).toBe(100);
    expect(h.snapshot()).toMatchObject({ count: 100, min: 1, max: 100, mean: 50.5 });
  });

  it('keeps every quantile within 1% below the true value', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50_000_000 }), { minLength: 1, maxLength: 300 }), fc.double({ min: 0.01, max: 1, noNaN: true }), (values, q) => {
        const h = new LatencyHistogram();
        for (const v of values) h.record(v);
        const sorted = [...values].sort((a, b) => a - b);
        const exact = sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
        const got = h.quantile(q);
        expect(got).toBeLessThanOrEqual(exact);
        expect(got).toBeGreaterThanOrEqual(exact * (1 - 1 / 128) - 1);
      }),
    );
  });

  it('maps bucket boundaries both ways', () => {
    for (const v of [0, 1, 127, 128, 255, 256, 257, 1000, 65_535, 1 << 20, 2 ** 32]) {
      expect(bucketFloor(bucketOf(v))).toBeLessThanOrEqual(v);
      expect(bucketOf(bucketFloor(bucketOf(v)))).toBe(bucketOf(v));
    }
  });

  it('merges', () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    a.record(10);
    b.record(1000);
    a.merge(b);
    expect(a.snapshot()).toMatchObject({ count: 2, min: 10, max: 1000 });
  });
});

describe('summary', () => {
  it('takes the median of odd and even lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(Number.isNaN(median([]))).toBe(true);
  });

  it('reports median with min and max, ignoring non-finite values', () => {
    expect(spread([5, Number.NaN, 1, 9])).toEqual({ median: 5, min: 1, max: 9, n: 3 });
    expect(spread([]).n).toBe(0);
  });

  it('gives NaN for a ratio with a missing side', () => {
    expect(ratio(1, 2)).toBe(0.5);
    expect(Number.isNaN(ratio(1, 0))).toBe(true);
    expect(Number.isNaN(ratio(Number.NaN, 2))).toBe(true);
  });
});
