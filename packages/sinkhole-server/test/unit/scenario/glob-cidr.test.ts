import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cidrContains, parseCidr, parseIp } from '../../../src/scenario/cidr.js';
import { Glob } from '../../../src/scenario/glob.js';

/** The reference: the textbook recursive definition (exponential, so only for short inputs). */
function reference(pattern: string, text: string): boolean {
  if (pattern.length === 0) return text.length === 0;
  const [p, ...rest] = pattern;
  const tail = rest.join('');
  if (p === '*') return reference(tail, text) || (text.length > 0 && reference(pattern, text.slice(1)));
  return text.length > 0 && (p === '?' || p === text[0]) && reference(tail, text.slice(1));
}

describe('Glob', () => {
  it.each([
    ['*@sinkhole.test', 'a@sinkhole.test', true],
    ['*@sinkhole.test', 'a@other.test', false],
    ['qp-*+slow@*', 'QP-7+slow@sinkhole.test', true],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['*', '', true],
    ['', '', true],
    ['a*a', 'a', false],
    ['*a*b*c*', 'xxaxxbxxcxx', true],
  ])('%j vs %j is %s', (pattern, text, expected) => {
    expect(new Glob(pattern).matches(text)).toBe(expected);
  });

  it('property: agrees with the recursive reference definition', () => {
    const chars = fc.constantFrom('a', 'b', '*', '?', '@', '.');
    fc.assert(
      fc.property(fc.string({ unit: chars, maxLength: 8 }), fc.string({ unit: fc.constantFrom('a', 'b', '@', '.', 'A'), maxLength: 12 }), (pattern, text) => {
        expect(new Glob(pattern).matches(text)).toBe(reference(pattern.toLowerCase(), text.toLowerCase()));
      }),
      { numRuns: 5000 },
    );
  });

  it('a hostile pattern against a long text stays cheap (no backtracking blow-up)', () => {
    const glob = new Glob(`${'*a'.repeat(60)}*b`);
    const text = 'a'.repeat(100_000);
    const started = performance.now();
    expect(glob.matches(text)).toBe(false);
    // Not a timing assertion on speed, a guard against exponential work: seconds, not hours.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('CIDR', () => {
  it.each([
    ['192.0.2.0/24', '192.0.2.77', true],
    ['192.0.2.0/24', '192.0.3.1', false],
    ['10.0.0.0/8', '10.255.1.2', true],
    ['0.0.0.0/0', '203.0.113.9', true],
    ['127.0.0.1', '127.0.0.1', true],
    ['127.0.0.1', '127.0.0.2', false],
    ['2001:db8::/32', '2001:db8:1::5', true],
    ['2001:db8::/32', '2001:db9::5', false],
    ['::1', '::1', true],
    ['192.0.2.0/24', '::ffff:192.0.2.8', true],
    ['192.0.2.0/25', '2001:db8::1', false],
  ])('%s contains %s: %s', (net, address, expected) => {
    const cidr = parseCidr(net);
    const ip = parseIp(address);
    if (cidr === undefined || ip === undefined) throw new Error('parse');
    expect(cidrContains(cidr, ip)).toBe(expected);
  });

  it.each(['192.0.2.0/33', '256.0.0.1', '1.2.3', '1.2.3.4/', '01.2.3.4', '2001:db8::/129', ':::1', '1::2::3', 'host.example', ''])('%j is not a network', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });

  it('property: an IPv4 prefix match is a comparison of the top bits', () => {
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 32 - 1 }), fc.nat({ max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 32 }), (net, addr, prefix) => {
        const dotted = (n: number): string => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
        const cidr = parseCidr(`${dotted(net)}/${prefix}`);
        const ip = parseIp(dotted(addr));
        if (cidr === undefined || ip === undefined) throw new Error('parse');
        const top = (n: number): number => (prefix === 0 ? 0 : Math.floor(n / 2 ** (32 - prefix)));
        expect(cidrContains(cidr, ip)).toBe(top(net) === top(addr));
      }),
      { numRuns: 2000 },
    );
  });
});
