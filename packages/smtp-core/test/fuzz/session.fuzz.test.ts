import fc from 'fast-check';
import { describe, it } from 'vitest';
import { checkSession, cutsArbitrary, policyArbitrary, streamArbitrary } from './session-fuzz.js';

const RUNS = Number(process.env.SMTP_FUZZ_RUNS ?? 10_000);

describe('fuzz: the sans-I/O engine on arbitrary byte streams', () => {
  it(`${RUNS} cases: no exception, well-formed replies, consistent state`, () => {
    fc.assert(fc.property(streamArbitrary, cutsArbitrary, policyArbitrary, checkSession), { numRuns: RUNS });
  });
});
