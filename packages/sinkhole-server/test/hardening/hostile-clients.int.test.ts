// Hostile clients over real sockets against the built bundle (accept mode, the image's node
// flags), each with the server's RSS measured before and during the case, a bystander session
// that must still get its mail through, and the process still alive. Figures are printed and
// written to .cache/hardening/hostile-clients.json.
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir, rssMb, SmtpTestClient, writeAtomically } from '@sinkhole/test-kit';
import { removeTestBundles } from '../support/bundle.js';
import { recordFigure, round1 } from './support/figures.js';
import { hostileCase } from './support/hostile-case.js';
import { pushBytes, rawConnect, socketClosed, writeFlushed } from './support/raw-socket.js';
import { ReplyCounter } from './support/reply-counter.js';
import { MESSAGE, transaction } from './support/smtp-steps.js';

const FIGURES = 'hostile-clients';
const MiB = 1024 * 1024;
let dir: string;

beforeAll(async () => {
  dir = await makeTempDir('hostile');
});
afterAll(async () => {
  await removeTestBundles();
  await removeDir(dir);
});

async function greeted(port: number): Promise<SmtpTestClient> {
  const c = await SmtpTestClient.connect(port);
  expect((await c.reply()).code).toBe(220);
  return c;
}

/** A small deterministic PRNG (mulberry32), so a failing garbage case can be replayed. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A line of random bytes without CR or LF (NULs, 8-bit, invalid UTF-8 included). */
function garbageLine(random: () => number): Buffer {
  const length = 1 + Math.floor(random() * 200);
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    let b = Math.floor(random() * 256);
    if (b === 13 || b === 10) b = 0;
    bytes[i] = b;
  }
  return bytes;
}

describe('hostile clients against the bundle', () => {
  it('a 4 MiB line with no CRLF: nothing is held beyond the line limit; the CRLF gets 500 5.5.2 and the session goes on', async () => {
    await hostileCase({ name: '4MiB-line', boundMb: 10, figuresFile: FIGURES }, async ({ port }) => {
      const c = await greeted(port);
      expect((await c.command('EHLO long.test')).code).toBe(250);
      await pushBytes(c.socket, Buffer.alloc(64 * 1024, 'A'), 4 * MiB);
      await writeFlushed(c.socket, '\r\n');
      expect((await c.reply(10_000)).last).toBe('500 5.5.2 Line too long');
      expect((await c.command('NOOP')).last).toBe('250 2.0.0 OK');
      expect(await transaction(c)).toBe('250 2.0.0 OK: message accepted');
      expect((await c.command('QUIT')).code).toBe(221);
      c.close();
    });
  }, 60_000);

  it('100 MB of DATA (limit 64 MiB): drained to the terminator, answered 552 5.3.4, the session stays usable, the body is never held', async () => {
    await hostileCase({ name: '100MB-data', boundMb: 56, figuresFile: FIGURES }, async ({ port, bystander }) => {
      const c = await greeted(port);
      expect((await c.command('EHLO big.test')).code).toBe(250);
      expect((await c.command('MAIL FROM:<big@example.test>')).code).toBe(250);
      expect((await c.command('RCPT TO:<x@sinkhole.test>')).code).toBe(250);
      expect((await c.command('DATA')).code).toBe(354);
      const line = Buffer.from(`${'x'.repeat(76)}\r\n`);
      const chunk = Buffer.concat(Array.from({ length: Math.floor((64 * 1024) / line.length) }, () => line));
      const started = Date.now();
      const pushing = pushBytes(c.socket, chunk, 100_000_000);
      // Another session gets a message through while the 100 MB stream in.
      expect(await transaction(bystander, 'during@example.test')).toBe('250 2.0.0 OK: message accepted');
      await pushing;
      c.write('\r\n.\r\n');
      expect((await c.reply(60_000)).last).toBe('552 5.3.4 Message size exceeds fixed maximum message size');
      recordFigure(FIGURES, '100MB-data-throughput', { mbPerSecond: Math.round(100_000 / Math.max(1, Date.now() - started)) });
      expect(await transaction(c, 'after@example.test')).toBe('250 2.0.0 OK: message accepted');
      expect((await c.command('QUIT')).code).toBe(221);
      c.close();
    });
  }, 120_000);

  it('one byte per write: a whole transaction arrives byte by byte and is answered normally', async () => {
    await hostileCase({ name: 'one-byte-writes', boundMb: 10, figuresFile: FIGURES }, async ({ port, server }) => {
      const c = await greeted(port);
      c.socket.setNoDelay(true);
      const sendBytewise = async (text: string): Promise<void> => {
        for (const byte of Buffer.from(text, 'latin1')) await writeFlushed(c.socket, Buffer.of(byte));
      };
      const codes: number[] = [];
      for (const command of ['EHLO onebyte.test', 'MAIL FROM:<one@example.test>', 'RCPT TO:<x@sinkhole.test>', 'DATA']) {
        await sendBytewise(`${command}\r\n`);
        codes.push((await c.reply()).code);
      }
      await sendBytewise(MESSAGE);
      codes.push((await c.reply()).code);
      await sendBytewise('QUIT\r\n');
      codes.push((await c.reply()).code);
      expect(codes).toEqual([250, 250, 250, 354, 250, 221]);
      expect((await c.ending()).ending).toBe('eof');
      c.close();
      const accepted = await server.waitForLine((l) => l.msg === 'accepted' && l['helo'] === 'onebyte.test');
      expect(accepted).toMatchObject({ mailFrom: 'one@example.test', rcptTo: ['x@sinkhole.test'] });
    });
  }, 60_000);

  it('a client that connects and says nothing gets 421 4.4.2 after the idle timeout (1 s here) and a clean close', async () => {
    await hostileCase({ name: 'silent-client', boundMb: 10, args: ['--idle-timeout', '1s'], figuresFile: FIGURES }, async ({ port, server, bystander }) => {
      const c = await greeted(port);
      const started = Date.now();
      // The bystander keeps talking, so only the silent client is idle.
      let noops = 0;
      const keepAlive = setInterval(() => {
        noops++;
        bystander.send('NOOP');
      }, 300);
      try {
        expect((await c.reply(5_000)).last).toBe('421 4.4.2 Timeout exceeded, closing connection');
        const waitedMs = Date.now() - started;
        expect((await c.ending()).ending).toBe('eof');
        recordFigure(FIGURES, 'silent-client-timeout', { idleTimeoutMs: 1_000, waitedMs });
        expect(waitedMs).toBeGreaterThanOrEqual(900);
        expect(waitedMs).toBeLessThan(3_000);
      } finally {
        clearInterval(keepAlive);
      }
      for (let i = 0; i < noops; i++) expect((await bystander.reply()).last).toBe('250 2.0.0 OK');
      c.close();
      expect(await server.waitForLine((l) => l.msg === 'connection' && l['reason'] === 'idle-timeout')).toMatchObject({ replies: [220, 421] });
    });
  }, 60_000);

  it('a client that pipelines 1,000,000 commands without reading: the server stops reading (bounded RSS), then every reply arrives once it reads', async () => {
    const commands = 1_000_000;
    await hostileCase({ name: 'stalled-reader', boundMb: 24, figuresFile: FIGURES }, async ({ port, server }) => {
      const logged = server.lines.length;
      const socket = await rawConnect(port);
      const counter = new ReplyCounter(socket);
      await counter.waitFor(1, 5_000);
      socket.pause();
      // 6 MB of commands whose replies are 95 MB: far more than the server may queue.
      const input = Buffer.from('HELP\r\n'.repeat(commands));
      // In 6 KB writes, so writableLength below counts what the kernel has not taken, to 6 KB.
      for (let offset = 0; offset < input.length; offset += 6_000) socket.write(input.subarray(offset, offset + 6_000));
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const stalledRss = rssMb(server.pid);
      // What the server has not taken is still in this process: it stopped reading.
      const unsentWhileStalled = socket.writableLength;
      expect(counter.finals).toBe(1);
      expect(unsentWhileStalled).toBeGreaterThan(0);
      socket.resume();
      await counter.waitFor(1 + commands, 60_000);
      expect(counter.codes.get(214)).toBe(commands);
      socket.end('QUIT\r\n');
      await counter.waitFor(2 + commands, 10_000);
      await socketClosed(socket);
      const line = await server.waitForLine((l) => l.msg === 'connection' && l['reason'] === 'quit', 5_000, logged);
      expect(line['bytesIn']).toBe(input.length + 6);
      recordFigure(FIGURES, 'stalled-reader-detail', { commands, inputBytes: input.length, replyBytes: Number(line['bytesOut']), rssWhileStalledMb: round1(stalledRss), inputNotTakenWhileStalled: unsentWhileStalled });
    });
  }, 120_000);

  it('NUL bytes, invalid UTF-8 and 8-bit garbage: one 5xx per line, well formed; the session goes on; past 100 errors 421 4.7.0 and a clean close', async () => {
    await hostileCase({ name: 'garbage-commands', boundMb: 10, figuresFile: FIGURES }, async ({ port, server }) => {
      const random = prng(0x5eed);
      const fixed = ['\0\0\0', 'EHLO \0', 'HELO \xc3\x28', 'MAIL FROM:<\x80\x81@example.test>', '\xff\xfe\xfd HELO', 'RCPT TO:<\xc0\xaf@x.test>', 'EHLO \xed\xa0\x80.test'].map((t) => Buffer.from(t, 'latin1'));
      const lines = [...fixed, ...Array.from({ length: 40 }, () => garbageLine(random))];
      const c = await greeted(port);
      const codes: number[] = [];
      for (const line of lines) {
        c.write(Buffer.concat([line, Buffer.from('\r\n')]));
        const r = await c.reply();
        for (const l of r.lines) expect(l).toMatch(/^\d{3}[ -][\x20-\x7e]*$/);
        codes.push(r.code);
      }
      expect(codes.every((code) => code >= 500 && code < 600)).toBe(true);
      expect((await c.command('EHLO clean.test')).code).toBe(250);
      expect(await transaction(c)).toBe('250 2.0.0 OK: message accepted');
      expect((await c.command('QUIT')).code).toBe(221);
      c.close();

      // A client that keeps sending garbage is cut off at --max-protocol-errors (100).
      const flood = await greeted(port);
      flood.write(Buffer.concat(Array.from({ length: 150 }, () => Buffer.concat([garbageLine(random), Buffer.from('\r\n')]))));
      const replies: number[] = [];
      for (;;) {
        const r = await flood.reply();
        replies.push(r.code);
        if (r.code === 421) {
          expect(r.last).toBe('421 4.7.0 Too many errors, closing connection');
          break;
        }
      }
      expect(replies.length).toBe(101);
      expect((await flood.ending()).ending).toBe('eof');
      flood.close();
      recordFigure(FIGURES, 'garbage-commands-detail', { lines: lines.length, distinctCodes: [...new Set(codes)].sort().join(','), repliesBefore421: replies.length - 1 });
      await server.waitForLine((l) => l.msg === 'connection' && l['reason'] === 'reply-421');
    });
  }, 60_000);

  it('HTTP requests on the SMTP port (200 of them): 421 4.7.0 and a clean close', async () => {
    await hostileCase({ name: 'http-requests', boundMb: 24, figuresFile: FIGURES }, async ({ port }) => {
      const requests = [
        'GET / HTTP/1.1\r\nHost: sink.test\r\nUser-Agent: curl/8.0\r\nAccept: */*\r\n\r\n',
        'POST /api HTTP/1.1\r\nHost: sink.test\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{"hello":1}\r\n',
      ];
      for (let batch = 0; batch < 10; batch++) {
        await Promise.all(
          Array.from({ length: 20 }, async (_, i) => {
            const c = await greeted(port);
            c.write(requests[i % 2] as string);
            expect((await c.reply()).last).toBe('421 4.7.0 This is an SMTP server, not an HTTP server; closing connection');
            expect((await c.ending()).ending).toBe('eof');
            c.close();
          }),
        );
      }
    });
  }, 60_000);

  it('clients that talk before the greeting (50 of them, the greeting delayed by a mode-file read): greeted first, then answered in order', async () => {
    const modeFile = join(dir, 'mode-pregreet');
    await writeAtomically(modeFile, 'accept\n');
    let early = 0;
    await hostileCase(
      { name: 'talks-before-greeting', boundMb: 24, args: ['--mode-source', 'file', '--mode-file', modeFile, '--cache-ttl', '0s'], env: {}, figuresFile: FIGURES },
      async ({ port, server }) => {
        for (let i = 0; i < 50; i++) {
          const socket = connect({ host: '127.0.0.1', port });
          const counter = new ReplyCounter(socket);
          let greetedBeforeWrite = false;
          socket.once('data', () => (greetedBeforeWrite = true));
          // Written before 'connect': the whole session goes out with the SYN's first data segment.
          socket.write(`EHLO early${i}.test\r\nMAIL FROM:<early@example.test>\r\nRCPT TO:<x@sinkhole.test>\r\nDATA\r\n${MESSAGE}QUIT\r\n`, () => {
            if (!greetedBeforeWrite) early++;
          });
          await counter.waitFor(7, 5_000);
          await socketClosed(socket);
          expect(counter.sequence).toEqual([220, 250, 250, 250, 354, 250, 221]);
        }
        await server.waitForCount('accepted', 51);
      },
    );
    recordFigure(FIGURES, 'talks-before-greeting-detail', { connections: 50, writtenBeforeGreetingArrived: early });
  }, 60_000);

  it('resets (RST) in the middle of DATA, 50 times: no message is accepted for them, the server logs each and goes on', async () => {
    await hostileCase({ name: 'reset-mid-data', boundMb: 24, figuresFile: FIGURES }, async ({ port, server }) => {
      const accepted = server.linesWith('accepted').length;
      const closed = server.linesWith('connection').length;
      for (let i = 0; i < 50; i++) {
        const c = await greeted(port);
        await c.command(`EHLO reset${i}.test`);
        await c.command('MAIL FROM:<reset@example.test>');
        await c.command('RCPT TO:<x@sinkhole.test>');
        expect((await c.command('DATA')).code).toBe(354);
        await writeFlushed(c.socket, 'Subject: cut short\r\n\r\nhalf of a body');
        c.socket.resetAndDestroy();
      }
      const lines = await server.waitForCount('connection', closed + 50);
      expect(lines.slice(closed).every((l) => ['socket-error', 'peer-closed'].includes(String(l['reason'])) && l['messages'] === 0)).toBe(true);
      expect(server.linesWith('accepted').length).toBe(accepted);
    });
  }, 60_000);

  it('resets in the middle of a reply (10,000 HELP sent, nothing read, then RST), 50 times: the server goes on', async () => {
    await hostileCase({ name: 'reset-mid-reply', boundMb: 24, figuresFile: FIGURES }, async ({ port, server }) => {
      const closed = server.linesWith('connection').length;
      const helps = Buffer.from('HELP\r\n'.repeat(10_000));
      for (let i = 0; i < 50; i++) {
        const socket = await rawConnect(port);
        await new Promise((resolve) => socket.once('data', resolve));
        socket.pause();
        await writeFlushed(socket, helps);
        await new Promise((resolve) => setTimeout(resolve, 5));
        socket.resetAndDestroy();
      }
      const lines = await server.waitForCount('connection', closed + 50);
      const reasons = new Set(lines.slice(closed).map((l) => String(l['reason'])));
      recordFigure(FIGURES, 'reset-mid-reply-detail', { connections: 50, closeReasons: [...reasons].sort().join(',') });
    });
  }, 60_000);
});
