import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePath } from '../../src/protocol/path.js';
import { parsePlainPath } from '../../src/protocol/plain-path.js';

describe('parsePlainPath (the fast path) agrees with parsePath', () => {
  it.each(['<a@b.c>', '<first.last+tag@sub.example.co.uk>', "<o'brien@x-y.z>", '<a@b>', '<A@B.C>'])('takes %s', (text) => {
    const fast = parsePlainPath(Buffer.from(text), 0);
    expect(fast).toBeDefined();
    expect(parsePath(text, 0, 'forward')).toEqual({ ok: true, path: fast?.path, end: fast?.end });
  });

  it.each(['<>', '<"q"@b.c>', '<@r:a@b.c>', '<a@[1.2.3.4]>', '<a..b@c>', '<a@-b.c>', '<a@b-.c>', '<a@b..c>', '<ü@b.c>', '<a@b.c', 'a@b.c', '<a b@c>'])(
    'leaves %s to the general parser',
    (text) => {
      expect(parsePlainPath(Buffer.from(text), 0)).toBeUndefined();
    },
  );

  it('property: whenever the fast path answers, the general parser gives the same path', () => {
    const unit = fc.constantFrom('a', 'Z', '0', '.', '-', '@', '+', '_', '"', '>', '<', ' ', '[', ']', ':', ',', '\u00fc');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 30 }), (inner) => {
        const text = `<${inner}>`;
        const fast = parsePlainPath(Buffer.from(text, 'utf8'), 0);
        if (fast === undefined) return;
        const slow = parsePath(text, 0, 'reverse');
        expect(slow).toEqual({ ok: true, path: fast.path, end: fast.end });
      }),
      { numRuns: 5000 },
    );
  });

  it('property: every valid plain address is taken by the fast path', () => {
    const atom = fc.stringMatching(/^[a-zA-Z0-9!#$%&'*+\-/=?^_`{|}~]{1,8}$/);
    const label = fc.stringMatching(/^[a-zA-Z0-9]([a-zA-Z0-9-]{0,6}[a-zA-Z0-9])?$/);
    fc.assert(
      fc.property(fc.array(atom, { minLength: 1, maxLength: 3 }), fc.array(label, { minLength: 1, maxLength: 4 }), (atoms, labels) => {
        const text = `<${atoms.join('.')}@${labels.join('.')}>`;
        expect(parsePlainPath(Buffer.from(text), 0)).toBeDefined();
      }),
      { numRuns: 2000 },
    );
  });
});
