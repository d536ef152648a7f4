import { SmtpTestClient, type SmtpReply } from '@sinkhole/test-kit';

/** What a client did, for the counters: an outcome name, or a problem (something the server should never do). */
export type Outcome = { readonly ok: true; readonly what: string } | { readonly ok: false; readonly problem: string };

const ok = (what: string): Outcome => ({ ok: true, what });
const MESSAGE = 'From: <soak@example.test>\r\nTo: <x@sinkhole.test>\r\nSubject: soak\r\n\r\nhello\r\n.\r\n';
const BIG_LINE = `${'x'.repeat(998)}\r\n`;
/** RCPT replies every mode may give: accept/accept-log 250, bounce 550, defer 421 (then a close). */
const RCPT_OK = new Set([250, 550, 421]);

class Unexpected extends Error {}

function expectCode(r: SmtpReply, codes: readonly number[]): void {
  if (!codes.includes(r.code)) throw new Unexpected(`unexpected reply ${r.last}`);
}

/** Waits longer than a test would: the soak runs the machine hot on purpose. */
const WAIT_MS = 10_000;
const CLOSE_WAIT_MS = 15_000;

async function greeted(port: number): Promise<SmtpTestClient> {
  const c = await SmtpTestClient.connect(port, { waitMs: WAIT_MS });
  expectCode(await c.reply(), [220]);
  return c;
}

/** MAIL, RCPT and (if accepted) DATA with `body`; the outcome by mode. */
async function oneMessage(c: SmtpTestClient, body: string | (() => Promise<void>)): Promise<string> {
  expectCode(await c.command('MAIL FROM:<soak@example.test>'), [250]);
  const rcpt = await c.command('RCPT TO:<x@sinkhole.test>');
  if (!RCPT_OK.has(rcpt.code)) throw new Unexpected(`unexpected RCPT reply ${rcpt.last}`);
  if (rcpt.code === 421) {
    if ((await c.ending(CLOSE_WAIT_MS)).ending !== 'eof') throw new Unexpected('reset after 421');
    return 'deferred';
  }
  if (rcpt.code === 550) {
    expectCode(await c.command('RSET'), [250]);
    return 'bounced';
  }
  expectCode(await c.command('DATA'), [354]);
  if (typeof body === 'string') c.write(body);
  else await body();
  expectCode(await c.reply(30_000), [250]);
  return 'accepted';
}

async function quit(c: SmtpTestClient): Promise<void> {
  if (c.ended !== 'open') return;
  expectCode(await c.command('QUIT'), [221]);
  if ((await c.ending(CLOSE_WAIT_MS)).ending !== 'eof') throw new Unexpected('reset after QUIT');
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const SCENARIOS = {
  /** One connection per message. */
  async message(port: number): Promise<Outcome> {
    const c = await greeted(port);
    expectCode(await c.command('EHLO soak.test'), [250]);
    const what = await oneMessage(c, MESSAGE);
    await quit(c);
    return ok(what);
  },
  /** Five messages on one connection. */
  async reused(port: number): Promise<Outcome> {
    const c = await greeted(port);
    expectCode(await c.command('EHLO reuse.test'), [250]);
    let what = 'reused';
    for (let i = 0; i < 5 && c.ended === 'open'; i++) what = await oneMessage(c, MESSAGE);
    await quit(c);
    return ok(`reused-${what}`);
  },
  async quitOnly(port: number): Promise<Outcome> {
    const c = await greeted(port);
    await quit(c);
    return ok('quit');
  },
  /** 2 MB message (accepted modes only reach DATA). */
  async big(port: number): Promise<Outcome> {
    const c = await greeted(port);
    expectCode(await c.command('EHLO big.test'), [250]);
    const what = await oneMessage(c, async () => {
      for (let i = 0; i < 2_000; i++) if (!c.write(BIG_LINE)) await new Promise((resolve) => c.socket.once('drain', resolve));
      c.write('.\r\n');
    });
    await quit(c);
    return ok(`big-${what}`);
  },
  /** RST in the middle of DATA. */
  async resetMidData(port: number): Promise<Outcome> {
    const c = await greeted(port);
    expectCode(await c.command('EHLO rst.test'), [250]);
    expectCode(await c.command('MAIL FROM:<rst@example.test>'), [250]);
    const rcpt = await c.command('RCPT TO:<x@sinkhole.test>');
    if (rcpt.code === 250) {
      expectCode(await c.command('DATA'), [354]);
      c.write('Subject: cut\r\n\r\nhalf a body');
      await sleep(5);
    }
    c.socket.resetAndDestroy();
    return ok('reset');
  },
  /** Garbage commands, then QUIT. */
  async garbage(port: number): Promise<Outcome> {
    const c = await greeted(port);
    for (let i = 0; i < 20; i++) {
      const bytes = Buffer.from(Array.from({ length: 1 + ((i * 37) % 120) }, (_, j) => ((i * 131 + j * 17) % 256) || 1).map((b) => (b === 10 || b === 13 ? 0 : b)));
      c.write(Buffer.concat([bytes, Buffer.from('\r\n')]));
      const r = await c.reply();
      if (r.code < 500) throw new Unexpected(`garbage answered ${r.last}`);
    }
    await quit(c);
    return ok('garbage');
  },
  async http(port: number): Promise<Outcome> {
    const c = await greeted(port);
    c.write('GET / HTTP/1.1\r\nHost: soak.test\r\n\r\n');
    expectCode(await c.reply(), [421]);
    if ((await c.ending(CLOSE_WAIT_MS)).ending !== 'eof') throw new Unexpected('reset after the HTTP 421');
    return ok('http');
  },
  /** A 64 KiB line without CRLF, then CRLF. */
  async longLine(port: number): Promise<Outcome> {
    const c = await greeted(port);
    c.write(Buffer.alloc(64 * 1024, 'A'));
    c.write('\r\n');
    expectCode(await c.reply(), [500]);
    await quit(c);
    return ok('long-line');
  },
  /** Pipelines 20,000 HELP without reading for a second, then reads every reply. */
  async stalled(port: number): Promise<Outcome> {
    const c = await greeted(port);
    c.socket.pause();
    c.write('HELP\r\n'.repeat(20_000));
    await sleep(1_000);
    c.socket.resume();
    for (let i = 0; i < 20_000; i++) expectCode(await c.reply(30_000), [214]);
    await quit(c);
    return ok('stalled');
  },
  /** Connects, says nothing for 2 s, leaves. */
  async silent(port: number): Promise<Outcome> {
    const c = await greeted(port);
    await sleep(2_000);
    c.destroy();
    return ok('silent');
  },
} as const;

export type ScenarioName = keyof typeof SCENARIOS;

/** Weights of the mix; the hostile ones only with --hostile. */
export const MIX: readonly (readonly [ScenarioName, number, boolean])[] = [
  ['message', 40, false],
  ['reused', 20, false],
  ['quitOnly', 10, false],
  ['big', 3, false],
  ['resetMidData', 5, true],
  ['garbage', 5, true],
  ['http', 5, true],
  ['longLine', 5, true],
  ['stalled', 2, true],
  ['silent', 5, true],
];

/** Runs a scenario; turns what the server did wrong (or a timeout) into a problem. */
export async function runScenario(name: ScenarioName, port: number): Promise<Outcome> {
  try {
    return await SCENARIOS[name](port);
  } catch (error) {
    return { ok: false, problem: `${name}: ${error instanceof Error ? error.message : String(error)}` };
  }
}
