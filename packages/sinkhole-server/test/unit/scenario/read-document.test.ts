import { describe, expect, it } from 'vitest';
import { parseMode } from '../../../src/mode/parse-mode.js';

function refused(document: unknown, code = 'ERR_MODE_DOCUMENT'): string {
  const parsed = parseMode(typeof document === 'string' ? document : JSON.stringify(document));
  if (parsed.ok) throw new Error('accepted');
  expect(parsed.error.code).toBe(code);
  return parsed.error.message;
}

describe('scenario documents: reading', () => {
  it('reads a document with every condition and action', () => {
    const parsed = parseMode(
      JSON.stringify({
        name: 'all',
        countBy: 'triplet',
        otherwise: 'accept',
        rules: [
          { on: 'rcpt', client: ['192.0.2.0/24', '2001:db8::/32'], helo: '*.test', from: '*@example.test', to: 'slow+*@*', attempt: { max: 2 }, since: { max: '20m' }, reply: '451 4.7.1 Try later', delay: '2s' },
          { on: 'data-end', size: { min: 1000000 }, header: { name: 'X-Scenario', value: 'drop*' }, reply: 'accept', close: 'fin' },
          { on: 'data-end', reply: { code: 452, enhanced: '4.3.1', text: ['Insufficient', 'system storage'] }, trickle: '50ms' },
          { on: 'connect', client: '203.0.113.0/24', hang: true },
          { on: 'rcpt', to: 'grey@*', greylist: true },
          { on: 'rcpt', to: 'later@*', script: '421x2.250' },
        ],
      }),
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok || parsed.mode.kind !== 'scenario') return;
    const { document } = parsed.mode;
    expect(document).toMatchObject({ name: 'all', countBy: 'triplet', otherwise: 'accept', needsHeaders: true });
    expect(document.rules).toHaveLength(6);
    expect(document.rules[0]?.delivery).toEqual({ delayMs: 2_000, trickleMs: 0, close: undefined });
    expect(document.rules[0]?.when.since).toEqual({ min: undefined, max: 1_200_000 });
    expect(document.rules[2]?.outcome).toMatchObject({ kind: 'reply', reply: { code: 452, enhanced: '4.3.1', lines: ['Insufficient', 'system storage'] } });
    expect(document.rules[3]?.delivery.close).toBe('hang');
  });

  it.each([
    [{ rules: [{ reply: 'bounce', dealy: '1s' }] }, 'rules[0].dealy: unknown field'],
    [{ rules: [{ reply: 'bounce', delay: '11m' }] }, 'rules[0].delay: expected a duration'],
    [{ rules: [{ on: 'quit', reply: 'bounce' }] }, 'rules[0].on: expected one of connect, helo, starttls, auth, mail, rcpt, data, data-end'],
    [{ rules: [{ reply: '452 5.2.2 Mailbox full' }] }, 'rules[0].reply: enhanced code 5.2.2 does not match the class of reply code 452'],
    [{ rules: [{ on: 'connect', reply: 'accept' }] }, 'rules[0].reply: the greeting must be 220'],
    [{ rules: [{ on: 'data', reply: '250' }] }, 'rules[0].reply: DATA start must answer 354'],
    [{ rules: [{ client: '10.0.0.0/33', reply: 'defer' }] }, 'rules[0].client: expected an IP address or network'],
    [{ rules: [{ to: 'x'.repeat(257), reply: 'defer' }] }, 'rules[0].to: is 257 characters long, more than 256'],
    [{ rules: [{ header: { name: 'X-A' }, reply: 'defer' }] }, 'rules[0].header: headers are known at data-end only'],
    [{ rules: [{ script: '421x2.250', on: 'mail' }] }, 'rules[0].script: a script counts RCPT attempts'],
    [{ rules: [{ to: '*' }] }, 'rules[0]: the rule does nothing'],
    [{ rules: [{ hang: true, reply: 'defer' }] }, 'rules[0].hang: a hang sends nothing'],
    [{ rules: [{ close: 'bye' }] }, 'rules[0].close: expected "fin" or "rst"'],
    [{ rules: [{ reply: 'defer', attempt: { min: 3, max: 2 } }] }, 'rules[0].attempt: min (3) is above max (2)'],
    [{ otherwise: 'acept', rules: [] }, 'otherwise: unknown mode "acept"'],
    [{ otherwise: '{"rules":[]}', rules: [] }, 'otherwise: must be a one-word or reply: mode'],
    [{ countBy: 'sender', rules: [] }, 'countBy: expected one of recipient, triplet, message-id, client'],
    [{ rules: Array.from({ length: 101 }, () => ({ reply: 'defer' })) }, 'rules: 101 rules, more than 100'],
    [{ rule: [] }, '$.rule: unknown field'],
    ['{"rules": [', 'at $: not JSON'],
    ['{"rules": []} {}', 'at $: not JSON'],
  ])('%j is refused, naming the place: %s', (document, where) => {
    expect(refused(document)).toContain(where);
  });

  it('a document over 4096 characters is refused whole, never cut', () => {
    const message = refused({ name: 'big', rules: [{ to: `${'x'.repeat(250)}*`, reply: 'defer' }], pad: 'y'.repeat(4000) }, 'ERR_MODE_TOO_LONG');
    expect(message).toMatch(/4096/);
  });

  it('the canonical text is the compact JSON, and it round-trips', () => {
    const parsed = parseMode('{ "rules": [ { "to": "a@*", "reply": "bounce" } ] }\n');
    expect(parsed.ok && parsed.mode.kind === 'scenario' ? parsed.mode.text : '').toBe('{"rules":[{"to":"a@*","reply":"bounce"}]}');
  });
});

describe('scenario documents: hostile input', () => {
  it('property: any JSON value or near-JSON text is read without throwing, and a refusal names a path', async () => {
    const fc = (await import('fast-check')).default;
    const keys = fc.constantFrom('rules', 'on', 'to', 'from', 'client', 'reply', 'delay', 'trickle', 'close', 'hang', 'script', 'greylist', 'size', 'attempt', 'since', 'header', 'name', 'value', 'min', 'max', 'code', 'text', 'enhanced', 'otherwise', 'countBy', '__proto__', 'constructor');
    const leaf = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom('rcpt', 'data-end', '10.0.0.0/8', '*@*', '250', 'fin', 'rst', '5s', '421x2.250'));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ maxDepth: 4 }, leaf, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(keys, tie('node'), { maxKeys: 5 })),
    })).node;
    fc.assert(
      fc.property(fc.oneof(value.map((v) => JSON.stringify({ rules: [v] })), value.map((v) => JSON.stringify(v)), fc.string({ maxLength: 60 }).map((t) => `{${t}`)), (text) => {
        const parsed = parseMode(text);
        if (!parsed.ok) expect(parsed.error.message).toMatch(/^(scenario document: at \S+: |the mode is |unknown mode)/);
      }),
      { numRuns: 3000 },
    );
  });
});
