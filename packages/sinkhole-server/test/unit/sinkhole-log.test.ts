import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { BufferedLines, LOG_FLUSH_BYTES, LOG_FLUSH_INTERVAL_MS } from '../../src/cli/stdout-lines.js';
import { MAX_QUEUED_RECORDS, RecordQueue } from '../../src/log/record-queue.js';
import { SinkholeLog } from '../../src/log/sinkhole-log.js';

const STOPPED = { msg: 'stopped', reason: 'test', durationMs: 1 } as const;

describe('SinkholeLog', () => {
  it('writes lines at or above its level, with time and level first', () => {
    const lines: string[] = [];
    const log = new SinkholeLog({ sink: (l) => lines.push(l), level: 'warn', now: () => Date.UTC(2026, 0, 2, 3, 4, 5, 6) });
    expect(log.wants('info')).toBe(false);
    expect(log.wants('warn')).toBe(true);
    log.log('info', STOPPED);
    log.log('error', STOPPED);
    log.always('info', STOPPED);
    expect(lines).toEqual([
      '{"time":"2026-01-02T03:04:05.006Z","level":"error","msg":"stopped","reason":"test","durationMs":1}\n',
      '{"time":"2026-01-02T03:04:05.006Z","level":"info","msg":"stopped","reason":"test","durationMs":1}\n',
    ]);
  });

  it('subscribers get every level, from the moment they subscribe until close', async () => {
    const log = new SinkholeLog({ level: 'error' });
    expect(log.wants('debug')).toBe(false);
    log.log('info', STOPPED);
    const sub = log.subscribe();
    expect(log.wants('debug')).toBe(true);
    log.log('debug', { ...STOPPED, reason: 'a' });
    log.close();
    log.log('info', { ...STOPPED, reason: 'late' });
    expect(await sub.next()).toMatchObject({ done: false, value: { level: 'debug', reason: 'a' } });
    expect(await sub.next()).toEqual({ done: true, value: undefined });
    expect(log.wants('debug')).toBe(false);
  });

  it('a subscriber that returns early is removed', async () => {
    const log = new SinkholeLog();
    const iterable = { [Symbol.asyncIterator]: () => log.subscribe() };
    const iterator = iterable[Symbol.asyncIterator]();
    log.log('info', STOPPED);
    for await (const record of { [Symbol.asyncIterator]: () => iterator }) {
      expect(record.msg).toBe('stopped');
      break;
    }
    expect(log.wants('debug')).toBe(false);
  });
});

describe('RecordQueue', () => {
  it('hands records in order to a waiting reader and to a later one', async () => {
    const q = new RecordQueue<number>(() => undefined);
    const waiting = q.next();
    q.push(1);
    q.push(2);
    expect(await waiting).toEqual({ value: 1, done: false });
    expect(await q.next()).toEqual({ value: 2, done: false });
  });

  it('drops the oldest past its bound and counts them', async () => {
    const q = new RecordQueue<number>(() => undefined);
    for (let i = 0; i < MAX_QUEUED_RECORDS + 5; i++) q.push(i);
    expect(q.dropped).toBe(5);
    expect(await q.next()).toEqual({ value: 5, done: false });
  });
});

describe('BufferedLines', () => {
  it('writes the lines logged within LOG_FLUSH_INTERVAL_MS in one write, in order', async () => {
    vi.useFakeTimers();
    try {
      const writes: string[] = [];
      const sink = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          writes.push(chunk.toString());
          callback();
        },
      });
      const lines = new BufferedLines(sink);
      lines.write('a\n');
      lines.write('b\n');
      vi.advanceTimersByTime(LOG_FLUSH_INTERVAL_MS - 1);
      expect(writes).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(writes).toEqual(['a\nb\n']);
      lines.write('c\n');
      await lines.flush();
      expect(writes).toEqual(['a\nb\n', 'c\n']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('writes at once when LOG_FLUSH_BYTES are pending', () => {
    const writes: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        writes.push(chunk.toString());
        callback();
      },
    });
    const lines = new BufferedLines(sink);
    const line = `${'x'.repeat(1023)}\n`;
    for (let i = 0; i < LOG_FLUSH_BYTES / 1024; i++) lines.write(line);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toHaveLength(LOG_FLUSH_BYTES);
  });

  it('keeps every batch it handed over intact, UTF-8 and very long lines included, in order', async () => {
    const chunks: Buffer[] = [];
    // Keeps the chunks themselves (not copies), as a queueing stream would.
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
    });
    const lines = new BufferedLines(sink);
    const expected: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const line = i % 1000 === 999 ? `${'é'.repeat(60_000)}\n` : `{"n":${i},"text":"żółw ✓ ${'x'.repeat(i % 97)}"}\n`;
      expected.push(line);
      lines.write(line);
      if (i % 50 === 0) await lines.flush();
    }
    await lines.flush();
    expect(chunks.length).toBeGreaterThan(60);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(expected.join(''));
  });

  it('refills its block from the start for a stream that has copied what it took, every line intact and in order', async () => {
    const copies: Buffer[] = [];
    // Copies each chunk at once, as stdout's file, pipe or TTY writes do.
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        copies.push(Buffer.from(chunk));
        callback();
      },
    });
    const lines = new BufferedLines(sink, undefined, true);
    const expected: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const line = i % 1000 === 999 ? `${'é'.repeat(60_000)}\n` : `{"n":${i},"text":"żółw ✓ ${'x'.repeat(i % 97)}"}\n`;
      expected.push(line);
      lines.write(line);
      if (i % 70 === 0) await lines.flush();
    }
    await lines.flush();
    expect(copies.length).toBeGreaterThan(60);
    expect(Buffer.concat(copies).toString('utf8')).toBe(expected.join(''));
  });

  it('drops lines while the stream is backed up past the bound, then says how many', async () => {
    const stuck = new PassThrough({ highWaterMark: 1 });
    const lines = new BufferedLines(stuck, 10);
    lines.write('0123456789AB\n');
    // Hand the first line to the stream now; it stays there (nobody reads), past the bound.
    void lines.flush();
    lines.write('lost 1\n');
    lines.write('lost 2\n');
    const received: string[] = [];
    stuck.on('data', (d: Buffer) => received.push(d.toString()));
    await new Promise((resolve) => setImmediate(resolve));
    lines.write('after\n');
    await lines.flush();
    await new Promise((resolve) => setImmediate(resolve));
    const text = received.join('');
    expect(text).not.toContain('lost');
    expect(text).toMatch(/"msg":"log-lines-dropped","count":2\}\nafter\n$/);
  });
});
