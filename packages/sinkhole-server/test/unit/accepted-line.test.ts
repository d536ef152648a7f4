import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acceptedLine } from '../../src/log/accepted-line.js';
import { logLine } from '../../src/log/json-line.js';

describe('acceptedLine', () => {
  const text = fc.string({ unit: fc.oneof(fc.constantFrom('a', '@', '.', '"', '\\', '\n', '\u0000', '\u007f', '\u0085', '\u2028', '\u202e', '\ufeff', 'é', '😀'), fc.string({ maxLength: 3 })), maxLength: 30 });
  const accepted = fc.record(
    {
      msg: fc.constant('accepted' as const),
      id: text,
      client: text,
      mode: text,
      helo: fc.option(text, { nil: null }),
      mailFrom: text,
      rcptTo: fc.array(text, { maxLength: 4 }),
      size: fc.nat(),
      dsn: fc.record({
        ret: fc.option(fc.constantFrom('FULL', 'HDRS'), { nil: null }),
        envid: fc.option(text, { nil: null }),
        notify: fc.array(fc.option(text, { nil: null }), { maxLength: 3 }),
        orcpt: fc.array(fc.option(text, { nil: null }), { maxLength: 3 }),
      }),
      headers: fc.option(text, { nil: null }),
      headersTruncated: fc.boolean(),
    },
    { requiredKeys: ['msg', 'id', 'client', 'mode', 'helo', 'mailFrom', 'rcptTo', 'size'] },
  );

  it('property: writes exactly what the generic logLine writes', () => {
    fc.assert(
      fc.property(accepted, (event) => {
        if (event.headers === undefined) delete (event as { headersTruncated?: boolean }).headersTruncated;
        expect(acceptedLine('2026-11-23T00:00:00.000Z', 'info', event)).toBe(logLine('2026-11-23T00:00:00.000Z', 'info', event));
      }),
      { numRuns: 2000 },
    );
  });

  it('one line, parseable, for a plain record', () => {
    const line = acceptedLine('T', 'info', { msg: 'accepted', id: 'i', client: '127.0.0.1:1', mode: 'accept', helo: null, mailFrom: '', rcptTo: ['a@b'], size: 3 });
    expect(line.endsWith('\n') && line.indexOf('\n') === line.length - 1).toBe(true);
    expect(JSON.parse(line)).toEqual({ time: 'T', level: 'info', msg: 'accepted', id: 'i', client: '127.0.0.1:1', mode: 'accept', helo: null, mailFrom: '', rcptTo: ['a@b'], size: 3 });
  });
});
