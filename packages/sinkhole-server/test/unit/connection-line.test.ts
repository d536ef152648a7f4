import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { connectionLine } from '../../src/log/connection-line.js';
import { logLine } from '../../src/log/json-line.js';

describe('connectionLine', () => {
  const text = fc.string({ unit: fc.oneof(fc.constantFrom('a', '@', '.', '"', '\\', '\n', '\u0000', '\u007f', '\u2028', '\u202e', 'é', '😀'), fc.string({ maxLength: 3 })), maxLength: 20 });
  const record = fc.record({
    msg: fc.constant('connection' as const),
    id: text,
    client: text,
    mode: text,
    helo: fc.option(text, { nil: null }),
    mailFrom: fc.option(text, { nil: null }),
    rcptTo: fc.array(text, { maxLength: 4 }),
    rcptCount: fc.nat(),
    messages: fc.nat(),
    replies: fc.array(fc.integer({ min: 200, max: 599 }), { maxLength: 5 }),
    replyCounts: fc.dictionary(fc.integer({ min: 200, max: 599 }).map(String), fc.nat()),
    bytesIn: fc.nat(),
    bytesOut: fc.nat(),
    durationMs: fc.nat(),
    reason: fc.constantFrom('quit', 'peer-closed', 'reply-421', 'idle-timeout', 'shutdown', 'socket-error', 'destroyed') as fc.Arbitrary<'quit'>,
  });

  it('property: writes exactly what the generic logLine writes', () => {
    fc.assert(
      fc.property(record, (event) => {
        expect(connectionLine('2026-11-23T00:00:00.000Z', 'info', event)).toBe(logLine('2026-11-23T00:00:00.000Z', 'info', event));
      }),
      { numRuns: 2000 },
    );
  });
});
