import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCidr, parseIp } from '../../../src/scenario/cidr.js';
import { Glob } from '../../../src/scenario/glob.js';
import { ruleMatches, type PhaseFacts } from '../../../src/scenario/rule-match.js';
import { PHASES, type Phase, type RuleConditions } from '../../../src/scenario/scenario-types.js';

// The reference model: each condition written out the slow, obvious way.
function globReference(pattern: string, text: string): boolean {
  const p = pattern.toLowerCase();
  const t = text.toLowerCase();
  // Dynamic programming over (pattern prefix, text prefix).
  let row = [true, ...Array.from({ length: t.length }, () => false)];
  for (const c of p) {
    const next = [c === '*' && row[0] === true];
    for (let j = 1; j <= t.length; j++) next[j] = c === '*' ? (row[j] ?? false) || (next[j - 1] ?? false) : (row[j - 1] ?? false) && (c === '?' || c === t[j - 1]);
    row = next;
  }
  return row[t.length] ?? false;
}

function bits(address: string): string {
  const ip = parseIp(address);
  if (ip === undefined) throw new Error(address);
  return ip.groups.map((g) => g.toString(2).padStart(16, '0')).join('');
}

interface Spec {
  readonly phases: Phase[];
  readonly to: string | undefined;
  readonly client: string | undefined;
  readonly attemptMax: number | undefined;
  readonly sizeMin: number | undefined;
}

function reference(spec: Spec, phase: Phase, to: string | undefined, client: string, attempt: number, size: number | undefined): boolean {
  if (!spec.phases.includes(phase)) return false;
  if (spec.to !== undefined && (to === undefined || !globReference(spec.to, to))) return false;
  if (spec.client !== undefined) {
    const [net, prefix] = spec.client.split('/');
    const a = bits(client);
    const n = bits(net as string);
    if (a.length !== n.length || a.slice(0, Number(prefix)) !== n.slice(0, Number(prefix))) return false;
  }
  if (spec.attemptMax !== undefined && attempt > spec.attemptMax) return false;
  if (spec.sizeMin !== undefined && (size === undefined || size < spec.sizeMin)) return false;
  return true;
}

describe('ruleMatches', () => {
  it('property: agrees with a reference model of each condition', () => {
    const spec = fc.record({
      phases: fc.uniqueArray(fc.constantFrom(...PHASES), { minLength: 1, maxLength: 3 }),
      to: fc.option(fc.constantFrom('*@a.test', 'x*', '?@*', '*+*@*', 'X@A.TEST'), { nil: undefined }),
      client: fc.option(fc.constantFrom('192.0.2.0/24', '192.0.0.0/16', '10.0.0.0/8', '2001:db8::/32', '0.0.0.0/0'), { nil: undefined }),
      attemptMax: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
      sizeMin: fc.option(fc.integer({ min: 0, max: 2000 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        spec,
        fc.constantFrom(...PHASES),
        fc.option(fc.constantFrom('x@a.test', 'y+z@b.test', 'xx@c', '@a.test'), { nil: undefined }),
        fc.constantFrom('192.0.2.9', '192.0.3.1', '10.1.2.3', '2001:db8::1', '2001:dead::1', '127.0.0.1'),
        fc.integer({ min: 1, max: 6 }),
        fc.option(fc.integer({ min: 0, max: 3000 }), { nil: undefined }),
        (s, phase, to, client, attempt, size) => {
          const when: RuleConditions = {
            phases: new Set(s.phases),
            clients: s.client === undefined ? undefined : [parseCidr(s.client) as NonNullable<ReturnType<typeof parseCidr>>],
            helo: undefined,
            from: undefined,
            to: s.to === undefined ? undefined : new Glob(s.to),
            size: s.sizeMin === undefined ? undefined : { min: s.sizeMin, max: undefined },
            header: undefined,
            attempt: s.attemptMax === undefined ? undefined : { min: undefined, max: s.attemptMax },
            since: undefined,
          };
          const facts: PhaseFacts = {
            phase,
            client: parseIp(client),
            helo: undefined,
            from: undefined,
            to: to === undefined ? undefined : [to],
            size,
            header: undefined,
            attempt: () => ({ attempt, sinceFirstMs: 0 }),
          };
          expect(ruleMatches(when, facts)).toBe(reference(s, phase, to, client, attempt, size));
        },
      ),
      { numRuns: 5000 },
    );
  });
});
