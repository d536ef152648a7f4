import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReplyCounts } from '../src/reply-counts.js';

describe('ReplyCounts', () => {
  it('reads like a Map of the same replies, in order of first use, with more codes than its four slots', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 200, max: 599 }), { maxLength: 60 }), fc.integer({ min: 0, max: 700 }), (codes, probe) => {
        const counts = new ReplyCounts();
        const model = new Map<number, number>();
        for (const code of codes) {
          counts.add(code);
          model.set(code, (model.get(code) ?? 0) + 1);
        }
        expect([...counts]).toEqual([...model]);
        expect([...counts.entries()]).toEqual([...model.entries()]);
        expect([...counts.keys()]).toEqual([...model.keys()]);
        expect([...counts.values()]).toEqual([...model.values()]);
        expect(counts.size).toBe(model.size);
        expect(counts.get(probe)).toBe(model.get(probe));
        expect(counts.has(probe)).toBe(model.has(probe));
        const seen: [number, number][] = [];
        counts.forEach((count, code, map) => {
          expect(map).toBe(counts);
          seen.push([code, count]);
        });
        expect(seen).toEqual([...model]);
        expect(new Map(counts)).toEqual(model);
        expect(Object.fromEntries(counts)).toEqual(Object.fromEntries(model));
      }),
    );
  });

  it('a fresh one is empty', () => {
    const counts = new ReplyCounts();
    expect(counts.size).toBe(0);
    expect([...counts]).toEqual([]);
    expect(counts.get(250)).toBeUndefined();
    expect(Object.prototype.toString.call(counts)).toBe('[object ReplyCounts]');
  });
});
