import { describe, expect, it } from 'vitest';
import type { SessionPolicy } from '../../src/policy.js';
import { ProtocolHarness } from '../support/protocol-harness.js';
import { split } from '../support/split.js';

/**
 * The socket layer may reuse one read buffer per connection: receive() must never keep a
 * reference to its chunk. Each case feeds the same bytes twice, once in fresh buffers and once
 * through one buffer overwritten after every receive(), and expects the same outcome.
 */

const READ_BUFFER_SIZE = 64 * 1024;
/** Written over the read buffer after each receive(): not CR, LF or a dot, never valid SMTP. */
const SCRIBBLE = 0xff;

/** Resolves after `turns` macrotask turns, so chunks keep arriving while a hook is pending. */
function later<T>(value: T, turns = 3): Promise<T> {
  return new Promise((resolve) => {
    const step = (left: number): void => {
      if (left === 0) resolve(value);
      else setImmediate(() => step(left - 1));
    };
    step(turns);
  });
}

interface Outcome {
  readonly output: string;
  readonly endReason: string | undefined;
  readonly seen: string[];
}

/** What a policy saw, as text (every value copied when seen). */
type RecordingPolicy = (seen: string[]) => SessionPolicy;

const slowHooks: RecordingPolicy = (seen) => ({
  captureHeaders: true,
  onHelo: (domain) => later(void seen.push(`helo ${domain}`)),
  onMailFrom: (from) => later(void seen.push(`from ${from.address}`)),
  onRcptTo: (to) => later(void seen.push(`to ${to.address}`)),
  onDataStart: () => later(undefined),
  onDataChunk: (piece) => {
    seen.push(`body ${piece.toString('latin1')}`);
    return later(undefined, 1);
  },
  onDataEnd: (message) => later(void seen.push(`end ${message.size} headers ${message.headers?.toString('latin1')}`)),
});

const plainHooks: RecordingPolicy = (seen) => ({
  captureHeaders: true,
  onRcptTo: (to) => void seen.push(`to ${to.address}`),
  onDataChunk: (piece) => void seen.push(`body ${piece.toString('latin1')}`),
  onDataEnd: (message) => void seen.push(`end ${message.size} headers ${message.headers?.toString('latin1')}`),
});

async function run(chunks: readonly Buffer[], makePolicy: RecordingPolicy, reuse: boolean): Promise<Outcome> {
  const seen: string[] = [];
  const h = new ProtocolHarness({ policy: makePolicy(seen) });
  const readBuffer = Buffer.alloc(READ_BUFFER_SIZE);
  for (const chunk of chunks) {
    await later(undefined, 1);
    if (h.endReason !== undefined) break;
    if (reuse) {
      chunk.copy(readBuffer);
      h.protocol.receive(readBuffer.subarray(0, chunk.length));
      readBuffer.fill(SCRIBBLE);
    } else {
      h.protocol.receive(Buffer.from(chunk));
    }
  }
  h.protocol.endOfInput();
  for (let turn = 0; turn < 200 && h.endReason === undefined; turn++) await later(undefined, 1);
  return { output: h.output, endReason: h.endReason, seen };
}

async function expectSameOutcome(stream: string, cuts: readonly number[], makePolicy: RecordingPolicy): Promise<Outcome> {
  const chunks = split(Buffer.from(stream, 'latin1'), cuts);
  const fresh = await run(chunks, makePolicy, false);
  const reused = await run(chunks, makePolicy, true);
  expect(reused).toEqual(fresh);
  expect(fresh.endReason).toBe('quit');
  return fresh;
}

const HEADERS = 'Subject: reuse\r\nFrom: a@b.c\r\n\r\n';
const MESSAGE = `EHLO client.test\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nRCPT TO:<g@h.i>\r\nDATA\r\n${HEADERS}..dot\r\nbody line\r\n.\r\n`;
const SECOND = 'MAIL FROM:<x@y.z>\r\nRCPT TO:<w@v.u>\r\nDATA\r\nSubject: two\r\n\r\nsecond\r\n.\r\nQUIT\r\n';
const bdat = (body: string, last = false): string => `BDAT ${body.length}${last ? ' LAST' : ''}\r\n${body}`;

describe('SmtpProtocol: receive() never retains the input chunk', () => {
  for (const cuts of [[], [1], [7], [3, 11, 2], [40, 1, 1, 64]]) {
    it(`lines and DATA split at ${JSON.stringify(cuts)}, plain hooks`, async () => {
      const outcome = await expectSameOutcome(MESSAGE + SECOND, cuts, plainHooks);
      expect(outcome.seen).toContain('end 48 headers Subject: reuse\r\nFrom: a@b.c\r\n');
    });

    it(`pipelined commands behind slow async hooks, split at ${JSON.stringify(cuts)}`, async () => {
      const outcome = await expectSameOutcome(MESSAGE + SECOND, cuts, slowHooks);
      expect(outcome.seen.filter((s) => !s.startsWith('body '))).toEqual([
        'helo client.test',
        'from a@b.c',
        'to d@e.f',
        'to g@h.i',
        'end 48 headers Subject: reuse\r\nFrom: a@b.c\r\n',
        'from x@y.z',
        'to w@v.u',
        'end 24 headers Subject: two\r\n',
      ]);
    });

    it(`BDAT chunks pipelined with the next commands, split at ${JSON.stringify(cuts)}`, async () => {
      const stream = `EHLO c\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\n${bdat(HEADERS)}${bdat('.raw\r\nQUIT\r\n', true)}${SECOND}`;
      for (const policy of [plainHooks, slowHooks]) {
        const outcome = await expectSameOutcome(stream, cuts, policy);
        expect(outcome.seen).toContain('end 43 headers Subject: reuse\r\nFrom: a@b.c\r\n');
      }
    });
  }

  it('commands queued while the peer does not read the replies', () => {
    const outcome = (reuse: boolean): string => {
      let blocked = true;
      const h = new ProtocolHarness({ writeBlocked: () => blocked });
      const readBuffer = Buffer.alloc(READ_BUFFER_SIZE);
      for (const chunk of split(Buffer.from(MESSAGE + SECOND, 'latin1'), [5, 60])) {
        const input = reuse ? readBuffer.subarray(0, chunk.copy(readBuffer)) : Buffer.from(chunk);
        h.protocol.receive(input);
        readBuffer.fill(SCRIBBLE);
      }
      expect(h.paused).toBe(true);
      blocked = false;
      h.protocol.writable();
      return h.output;
    };
    const fresh = outcome(false);
    expect(outcome(true)).toBe(fresh);
    expect(fresh).toMatch(/221 2\.0\.0 Bye\r\n$/);
  });

  it('one chunk holding every command while the first hook is pending', async () => {
    const outcome = await expectSameOutcome(MESSAGE + SECOND, [], slowHooks);
    expect(outcome.output.match(/^250 /gm)?.length).toBe(8);
  });
});
