import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAddressScript, MAX_REMEMBERED_SCRIPTS, parseAddressScript, scriptOfAddress, type AddressScript } from '../../../src/scenario/address-script.js';
import { STOCK_CODE_REPLIES } from '../../../src/scenario/outcome-replies.js';
import { nextScriptReply, SCRIPT_START, type ScriptCursor } from '../../../src/scenario/script-cursor.js';

const MIN = 60_000;

function codes(script: AddressScript | undefined, attempts: readonly number[]): string[] {
  if (script === undefined) throw new Error('not a script');
  let cursor: ScriptCursor = SCRIPT_START;
  return attempts.map((sinceFirstMs) => {
    const next = nextScriptReply(script, cursor, sinceFirstMs);
    cursor = next.cursor;
    return `${next.reply.code} ${next.reply.enhanced ?? ''}`.trim();
  });
}

describe('address scripts: the grammar', () => {
  it.each([
    ['421x2.250', 'steps with counts'],
    ['421for20m.250', 'a time step'],
    ['550', 'one code'],
    ['accept', 'a word'],
    ['GREYfor30S.Accept', 'case-insensitive'],
    ['defer.bounce.451x3.452for1h.553', 'several steps'],
  ])('%s is a script (%s)', (text) => {
    expect(parseAddressScript(text)).toBeDefined();
  });

  it.each(['newsletter', '', '299', '4210', '421x', '421x0', '421for', '421for5d', '421for0s', '421.', '.250', 'accepts', 'x2', '421X2.', '421for5m5', `${'250.'.repeat(16)}250`])(
    '%j is not a script',
    (text) => {
      expect(parseAddressScript(text)).toBeUndefined();
    },
  );

  it('words and bare codes get the stock replies of the issue', () => {
    expect(codes(parseAddressScript('accept.defer.bounce.grey'), [0, 0, 0, 0])).toEqual(['250 2.1.5', '421 4.3.2', '550 5.1.1', '421 4.7.1']);
    const table = [...STOCK_CODE_REPLIES].map(([code, r]) => `${code} ${r.enhanced ?? ''}`);
    expect(table).toEqual(['250 2.1.5', '421 4.3.2', '450 4.2.1', '451 4.3.0', '452 4.2.2', '550 5.1.1', '551 5.1.6', '552 5.2.2', '553 5.1.3', '554 5.7.1']);
  });

  it('the script is the text after the last + of the local part; quoted local parts are not scripts', () => {
    expect(scriptOfAddress('qp-7+421x2.250', 'qp-7+421x2.250@sinkhole.test')).toBeDefined();
    expect(scriptOfAddress('a+b+550', 'a+b+550@x')).toHaveLength(1);
    expect(scriptOfAddress('user+newsletter', 'user+newsletter@x')).toBeUndefined();
    expect(scriptOfAddress('user', 'user@x')).toBeUndefined();
    expect(scriptOfAddress('q+550', '"q+550"@x')).toBeUndefined();
  });

  it('a remembered script text reads as the parser reads it, also past MAX_REMEMBERED_SCRIPTS texts', () => {
    const texts = Array.from({ length: 3 * MAX_REMEMBERED_SCRIPTS }, (_, i) => (i % 3 === 0 ? `${250 + (i % 7)}x${i + 1}` : i % 3 === 1 ? `defer.${i}` : `news${i}`));
    for (let round = 0; round < 2; round++) {
      for (const text of texts) expect(scriptOfAddress(`u+${text}`, `u+${text}@x`)).toEqual(parseAddressScript(text));
    }
  });

  it('property: the parser never throws, and what it accepts round-trips through the printer', () => {
    const piece = fc.constantFrom('421', '250', '550', '299', 'accept', 'defer', 'bounce', 'grey', 'x', 'for', '.', '1', '20', 's', 'm', 'h', 'X', 'FOR', '+', '0', 'é', ' ');
    fc.assert(
      fc.property(fc.oneof(fc.array(piece, { maxLength: 14 }).map((p) => p.join('')), fc.string({ maxLength: 70 })), (text) => {
        const script = parseAddressScript(text);
        if (script === undefined) return;
        const printed = formatAddressScript(script);
        expect(parseAddressScript(printed)).toEqual(script);
        expect(printed).toBe(formatAddressScript(parseAddressScript(printed) as AddressScript));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('address scripts: attempts', () => {
  it('421x2.250: 421, 421, then 250 from the third attempt on', () => {
    expect(codes(parseAddressScript('421x2.250'), [0, 1, 2, 3, 4])).toEqual(['421 4.3.2', '421 4.3.2', '250 2.1.5', '250 2.1.5', '250 2.1.5']);
  });

  it('421for20m.250: deferred until 20 minutes after first contact, then accepted', () => {
    expect(codes(parseAddressScript('421for20m.250'), [0, 5 * MIN, 20 * MIN - 1, 20 * MIN, 60 * MIN])).toEqual([
      '421 4.3.2',
      '421 4.3.2',
      '421 4.3.2',
      '250 2.1.5',
      '250 2.1.5',
    ]);
  });

  it('a plain step answers one attempt; the last step repeats forever', () => {
    expect(codes(parseAddressScript('450.451x2.550'), [0, 0, 0, 0, 0])).toEqual(['450 4.2.1', '451 4.3.0', '451 4.3.0', '550 5.1.1', '550 5.1.1']);
  });

  it('property: matches a step-by-step reference model', () => {
    const step = fc.record({
      code: fc.constantFrom(250, 421, 450, 550),
      limit: fc.oneof(
        fc.constant(''),
        fc.integer({ min: 1, max: 4 }).map((n) => `x${n}`),
        fc.integer({ min: 1, max: 5 }).map((n) => `for${n}s`),
      ),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 5 }), fc.array(fc.integer({ min: 0, max: 3_000 }), { maxLength: 25 }), (steps, gaps) => {
        const text = steps.map((s) => `${s.code}${s.limit}`).join('.');
        const script = parseAddressScript(text) as AddressScript;
        // Reference: expand into the answer of each attempt from the rules in words.
        let at = 0;
        let index = 0;
        let usedInStep = 0;
        let cursor: ScriptCursor = SCRIPT_START;
        for (const gap of gaps) {
          at += gap;
          for (;;) {
            if (index === steps.length - 1) break;
            const { limit } = steps[index] as (typeof steps)[number];
            const done = limit === '' ? usedInStep >= 1 : limit.startsWith('x') ? usedInStep >= Number(limit.slice(1)) : at >= Number(limit.slice(3, -1)) * 1000;
            if (!done) break;
            index++;
            usedInStep = 0;
          }
          usedInStep++;
          const next = nextScriptReply(script, cursor, at);
          cursor = next.cursor;
          expect(next.reply.code).toBe((steps[index] as (typeof steps)[number]).code);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
