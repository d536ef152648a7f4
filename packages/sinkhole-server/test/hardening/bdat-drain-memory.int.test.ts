// A BDAT chunk announced far over --max-message-size is drained as it arrives, never held
// (RFC 3030 chunks are counted octets, so a server that buffered a chunk before answering
// could be made to hold any size). 100 MB in one `BDAT n LAST` against a 1 MB limit: the
// sinkhole answers 552 and its peak RSS (VmHWM) grows by far less than the chunk: no more than
// the same 100 MB sent by DATA (drained to the terminator, the reference) plus a margin, in
// separate server processes. What does grow is the garbage of socket reads before a GC.
// Figures go to .cache/hardening/bdat-drain.json.
import { connect } from 'node:net';
import { afterAll, expect, it } from 'vitest';
import { memoryMb } from '@sinkhole/test-kit';
import { removeTestBundles, startBundle } from '../support/bundle.js';
import { recordFigure, round1 } from './support/figures.js';
import { freshSessionWorks } from './support/smtp-steps.js';

const CHUNK_MB = 100;
/** Peak growth allowed beyond DATA's. */
const MARGIN_MB = 15;

afterAll(async () => {
  await removeTestBundles();
});

/** Peak RSS growth of a fresh sinkhole while it drains one oversized message sent by `how`. */
async function drainGrowth(how: 'bdat' | 'data'): Promise<{ growth: number; before: number; seen: string }> {
  const server = await startBundle(['--port', '0', '--hostname', 'sink.test', '--max-message-size', '1000000'], { SINKHOLE_MODE: 'accept' }, { keep: () => false });
  await freshSessionWorks(server.port);
  const before = memoryMb(server.pid);
  const socket = connect({ host: '127.0.0.1', port: server.port });
  let seen = '';
  const replied = new Promise<void>((resolve) => {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      seen += chunk;
      if (seen.includes('\r\n221 ')) resolve();
    });
  });
  const size = CHUNK_MB * 1024 * 1024;
  socket.write(`EHLO c\r\nMAIL FROM:<a@example.test>\r\nRCPT TO:<x@sinkhole.test>\r\n${how === 'bdat' ? `BDAT ${size} LAST` : 'DATA'}\r\n`);
  const block = Buffer.from(`${'x'.repeat(1022)}\r\n`.repeat(1024));
  for (let sent = 0; sent < size; sent += block.length) {
    if (!socket.write(block)) await new Promise((r) => socket.once('drain', r));
  }
  socket.write(how === 'bdat' ? 'QUIT\r\n' : '.\r\nQUIT\r\n');
  await replied;
  socket.destroy();
  await freshSessionWorks(server.port);
  const after = memoryMb(server.pid);
  await server.stop(5_000);
  return { growth: after.hwm - before.hwm, before: before.hwm, seen };
}

it(`a ${CHUNK_MB} MB BDAT chunk over a 1 MB limit is drained (552) with no more memory than DATA needs for the same`, async () => {
  const data = await drainGrowth('data');
  const bdat = await drainGrowth('bdat');
  recordFigure('bdat-drain', 'bdat-100mb-over-1mb-limit', { chunkMb: CHUNK_MB, bdatHwmBeforeMb: round1(bdat.before), bdatPeakGrowthMb: round1(bdat.growth), dataPeakGrowthMb: round1(data.growth), marginMb: MARGIN_MB });
  expect(data.seen).toContain('552 5.3.4');
  expect(bdat.seen).toContain('552 5.3.4');
  expect(bdat.growth).toBeLessThan(data.growth + MARGIN_MB);
  expect(bdat.growth).toBeLessThan(CHUNK_MB / 2);
}, 120_000);
