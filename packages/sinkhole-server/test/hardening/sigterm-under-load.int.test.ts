// SIGTERM with 200 sessions open in accept-log mode (the image's node flags): 50 idle after
// EHLO, 50 in the middle of DATA, 50 sending transactions in lock step, 50 pipelining them.
// Every session gets its normal replies and then 421 4.3.2 and a clean close, the process exits
// 0 within the grace period, and the `accepted` log lines are exactly the messages the clients
// saw answered 250 after their data. Figures go to .cache/hardening/faults.json.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, expect, it } from 'vitest';
import { imageNodeFlags, type SmtpReply, SmtpTestClient } from '@sinkhole/test-kit';
import { removeTestBundles, startBundle } from '../support/bundle.js';
import { recordFigure } from './support/figures.js';
import { MESSAGE } from './support/smtp-steps.js';

const PER_KIND = 50;
const GRACE_MS = 10_000;
const SHUTDOWN = '421 4.3.2 Service shutting down, closing connection';

afterAll(async () => {
  await removeTestBundles();
});

interface Outcome {
  /** Messages answered 250 after their data. */
  readonly accepted: number;
  /** The last reply the session saw. */
  readonly last: string;
  readonly ending: string;
  /** Replies that are neither the normal ones nor the shutdown 421. */
  readonly unexpected: readonly string[];
}

async function open(port: number, name: string): Promise<SmtpTestClient> {
  const c = await SmtpTestClient.connect(port);
  expect((await c.reply()).code).toBe(220);
  expect((await c.command(`EHLO ${name}.test`)).code).toBe(250);
  return c;
}

async function finish(c: SmtpTestClient, accepted: number, last: SmtpReply, unexpected: string[]): Promise<Outcome> {
  const { ending } = await c.ending(GRACE_MS);
  c.close();
  return { accepted, last: last.last, ending, unexpected };
}

/** Transactions until the server says 421; lock step, or MAIL/RCPT/DATA pipelined in one write. */
async function looper(c: SmtpTestClient, pipelined: boolean): Promise<Outcome> {
  let accepted = 0;
  const unexpected: string[] = [];
  const expectCode = (r: SmtpReply, code: number): boolean => {
    if (r.code === 421) return false;
    if (r.code !== code) unexpected.push(r.last);
    return true;
  };
  for (;;) {
    const commands = ['MAIL FROM:<loop@example.test>', 'RCPT TO:<x@sinkhole.test>', 'DATA'];
    if (pipelined) c.write(commands.map((l) => `${l}\r\n`).join(''));
    let stopped: SmtpReply | undefined;
    for (const [i, command] of commands.entries()) {
      const r = pipelined ? await c.reply() : await c.command(command);
      if (!expectCode(r, i === 2 ? 354 : 250)) {
        stopped = r;
        break;
      }
    }
    if (stopped !== undefined) return finish(c, accepted, stopped, unexpected);
    c.write(MESSAGE);
    const end = await c.reply();
    if (end.code === 250) accepted++;
    else if (!expectCode(end, 250)) return finish(c, accepted, end, unexpected);
  }
}

it(`SIGTERM with ${PER_KIND * 4} sessions open in accept-log mode: normal replies then 421, exit 0 within the grace period, every 250 logged`, async () => {
  const server = await startBundle(['--port', '0', '--hostname', 'sink.test', '--shutdown-grace', `${GRACE_MS / 1000}s`], { SINKHOLE_MODE: 'accept-log' }, {
    nodeFlags: imageNodeFlags(),
    keep: (l) => l.msg !== 'accepted' && l.msg !== 'connection',
  });
  const port = server.port;
  const idle = await Promise.all(Array.from({ length: PER_KIND }, (_, i) => open(port, `idle${i}`)));
  const inData = await Promise.all(
    Array.from({ length: PER_KIND }, async (_, i) => {
      const c = await open(port, `data${i}`);
      await c.command('MAIL FROM:<data@example.test>');
      await c.command('RCPT TO:<x@sinkhole.test>');
      expect((await c.command('DATA')).code).toBe(354);
      c.write('Subject: shutdown under load\r\n\r\nthe first half\r\n');
      return c;
    }),
  );
  const lockStep = await Promise.all(Array.from({ length: PER_KIND }, (_, i) => open(port, `lockstep${i}`)));
  const pipelining = await Promise.all(Array.from({ length: PER_KIND }, (_, i) => open(port, `pipelined${i}`)));
  const loops = [...lockStep.map((c) => looper(c, false)), ...pipelining.map((c) => looper(c, true))];
  await sleep(1_000);

  const signalled = Date.now();
  server.signal('SIGTERM');
  const idleOutcomes = Promise.all(
    idle.map(async (c) => {
      const r = await c.reply(GRACE_MS);
      return finish(c, 0, r, r.last === SHUTDOWN ? [] : [r.last]);
    }),
  );
  const shutting = await server.waitForLine((l) => l.msg === 'shutting-down', GRACE_MS);
  expect(shutting).toMatchObject({ reason: 'SIGTERM', graceMs: GRACE_MS, connections: PER_KIND * 4 });
  // The sessions in DATA finish their message after the signal: 250, then 421.
  const dataOutcomes = Promise.all(
    inData.map(async (c) => {
      c.write('the second half\r\n.\r\n');
      const end = await c.reply(GRACE_MS);
      const bye = await c.reply(GRACE_MS);
      return finish(c, end.code === 250 ? 1 : 0, bye, end.code === 250 ? [] : [end.last]);
    }),
  );
  const outcomes = [...(await idleOutcomes), ...(await dataOutcomes), ...(await Promise.all(loops))];
  const exit = await server.exited;
  const exitMs = Date.now() - signalled;

  const clientAccepted = outcomes.reduce((sum, o) => sum + o.accepted, 0);
  recordFigure('faults', 'sigterm-under-load', {
    sessions: outcomes.length,
    clientSaw250AfterData: clientAccepted,
    acceptedLogLines: server.count('accepted'),
    connectionLogLines: server.count('connection'),
    last421: outcomes.filter((o) => o.last === SHUTDOWN).length,
    cleanCloses: outcomes.filter((o) => o.ending === 'eof').length,
    exitCode: exit.code,
    exitMs,
    graceMs: GRACE_MS,
  });
  expect(exit).toEqual({ code: 0, signal: null });
  expect(exitMs).toBeLessThan(GRACE_MS);
  expect(outcomes.flatMap((o) => o.unexpected)).toEqual([]);
  expect(outcomes.filter((o) => o.last !== SHUTDOWN)).toEqual([]);
  expect(outcomes.filter((o) => o.ending !== 'eof')).toEqual([]);
  expect(clientAccepted).toBeGreaterThan(PER_KIND);
  expect(server.count('accepted')).toBe(clientAccepted);
  expect(server.count('connection')).toBe(PER_KIND * 4);
  expect(server.lines.at(-1)).toMatchObject({ msg: 'stopped', reason: 'SIGTERM' });
}, 60_000);
