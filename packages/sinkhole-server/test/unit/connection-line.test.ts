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
    recipients: fc.array(fc.record({ address: text, attempt: fc.integer({ min: 1 }), code: fc.integer({ min: 200, max: 599 }) }), { maxLength: 3 }),
    dsn: fc.option(
      fc.record({
        ret: fc.option(fc.constantFrom('FULL', 'HDRS'), { nil: null }),
        envid: fc.option(text, { nil: null }),
        notify: fc.array(fc.option(text, { nil: null }), { maxLength: 3 }),
        orcpt: fc.array(fc.option(text, { nil: null }), { maxLength: 3 }),
      }),
      { nil: undefined },
    ),
    messages: fc.nat(),
    // As the session's counter gives them: each code once, in order of first use, with its count.
    replyCounts: fc.uniqueArray(fc.tuple(fc.integer({ min: 200, max: 599 }), fc.integer({ min: 1, max: 1e6 })), { selector: ([code]) => code, maxLength: 6 }),
    bytesIn: fc.nat(),
    bytesOut: fc.nat(),
    durationMs: fc.nat(),
    tls: fc.option(fc.record({ protocol: text, cipher: text }), { nil: undefined }),
    auth: fc.option(fc.record({ mechanism: fc.constantFrom('PLAIN', 'LOGIN'), authorizationId: text }), { nil: undefined }),
    reason: fc.constantFrom('quit', 'peer-closed', 'reply-421', 'idle-timeout', 'shutdown', 'socket-error', 'destroyed') as fc.Arbitrary<'quit'>,
  });

  it('property: writes exactly what the generic logLine writes', () => {
    fc.assert(
      fc.property(record, (generated) => {
        const g = generated;
        // Built in the order the sinkhole's onClose builds it.
        const event = {
          msg: g.msg, id: g.id, client: g.client, mode: g.mode, helo: g.helo, mailFrom: g.mailFrom, rcptTo: g.rcptTo, rcptCount: g.rcptCount, recipients: g.recipients, ...(g.dsn === undefined ? {} : { dsn: g.dsn }), messages: g.messages,
          replies: g.replyCounts.map(([code]) => code), replyCounts: new Map(g.replyCounts),
          bytesIn: g.bytesIn, bytesOut: g.bytesOut, durationMs: g.durationMs, reason: g.reason,
          ...(g.tls === undefined ? {} : { tls: g.tls }), ...(g.auth === undefined ? {} : { auth: g.auth }),
        };
        // The generic line of the record form (replyCounts as an object keyed by code).
        const record = { ...event, replyCounts: Object.fromEntries(g.replyCounts) };
        expect(connectionLine('2026-11-23T00:00:00.000Z', 'info', event)).toBe(logLine('2026-11-23T00:00:00.000Z', 'info', record));
      }),
      { numRuns: 2000 },
    );
  });
});
