// Runs inside the container's network namespace (nsenter --net, started by podman.ts) and drives SMTP sessions
// at 127.0.0.1:<port>. Prints one JSON event per line on stdout; reads commands ("finish", "quit") on stdin.
//
//   load: N sessions at once, each sending `messages` messages of `messageBytes`, while one more session streams
//         one message of `bigMessageBytes`; then all N stay open until "quit".
//   hold: N sessions idle after EHLO and M sessions in the middle of DATA; prints "ready"; on "finish" the M
//         sessions send the rest of their message. Reports the replies each saw until the server closed.
import { createInterface } from 'node:readline';
import { SmtpTestClient, type SmtpReply } from '@sinkhole/test-kit';

interface Config {
  readonly action: 'load' | 'hold';
  readonly port: number;
  readonly sessions: number;
  readonly messages?: number;
  readonly messageBytes?: number;
  readonly bigMessageBytes?: number;
  readonly dataSessions?: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as Config;
const emit = (event: string, fields: Record<string, unknown> = {}): void => {
  process.stdout.write(`${JSON.stringify({ event, ...fields })}\n`);
};
const commands = createInterface({ input: process.stdin });
const nextCommand = (name: string): Promise<void> =>
  new Promise((resolve) => {
    const onLine = (line: string): void => {
      if (line.trim() !== name) return;
      commands.off('line', onLine);
      resolve();
    };
    commands.on('line', onLine);
  });

/** A body of 78-character lines (none starts with "."), `bytes` long give or take a line. */
function bodyChunk(bytes: number): Buffer {
  const line = `${'x'.repeat(78)}\r\n`;
  return Buffer.from(line.repeat(Math.max(1, Math.floor(bytes / line.length))), 'latin1');
}

async function write(c: SmtpTestClient, data: Buffer | string): Promise<void> {
  if (!c.socket.write(data)) await new Promise<void>((resolve) => c.socket.once('drain', () => resolve()));
}

async function expectCode(reply: Promise<SmtpReply>, code: number, what: string): Promise<SmtpReply> {
  const r = await reply;
  if (r.code !== code) throw new Error(`${what}: expected ${code}, got ${r.last}`);
  return r;
}

async function open(i: number): Promise<SmtpTestClient> {
  const c = await SmtpTestClient.connect(config.port);
  await expectCode(c.reply(), 220, 'greeting');
  await expectCode(c.command(`EHLO client-${i}.test`), 250, 'EHLO');
  return c;
}

async function startData(c: SmtpTestClient, i: number): Promise<void> {
  await expectCode(c.command(`MAIL FROM:<image-${i}@client.test>`), 250, 'MAIL');
  await expectCode(c.command(`RCPT TO:<nobody-${i}@sinkhole.test>`), 250, 'RCPT');
  await expectCode(c.command('DATA'), 354, 'DATA');
  await write(c, `Subject: image test ${i}\r\n\r\n`);
}

/** Streams `bytes` of body in 1 MiB writes (each waits for the socket to drain), then the final dot. */
async function sendMessage(c: SmtpTestClient, i: number, bytes: number, waitMs: number): Promise<SmtpReply> {
  await startData(c, i);
  const chunk = bodyChunk(Math.min(bytes, 1024 * 1024));
  for (let sent = 0; sent < bytes; sent += chunk.length) await write(c, chunk);
  c.send('.');
  return expectCode(c.reply(waitMs), 250, 'end of data');
}

async function load(): Promise<void> {
  const started = Date.now();
  const big = (async () => {
    const c = await open(config.sessions);
    const reply = await sendMessage(c, config.sessions, config.bigMessageBytes ?? 0, 120_000);
    await expectCode(c.command('QUIT'), 221, 'QUIT');
    return { reply: reply.last, ms: Date.now() - started };
  })();
  const sessions = await Promise.all(
    Array.from({ length: config.sessions }, async (_, i) => {
      const c = await open(i);
      for (let m = 0; m < (config.messages ?? 1); m++) await sendMessage(c, i, config.messageBytes ?? 1024, 60_000);
      return c;
    }),
  );
  emit('loaded', { sessions: sessions.length, ms: Date.now() - started });
  emit('big', await big);
  await nextCommand('quit');
  const quits = await Promise.all(sessions.map(async (c) => (await c.command('QUIT')).code));
  emit('done', { quit221: quits.filter((code) => code === 221).length });
}

interface Seen {
  readonly replies: string[];
  ending: string;
}

async function untilClosed(c: SmtpTestClient, seen: Seen): Promise<Seen> {
  for (;;) {
    try {
      seen.replies.push((await c.reply(60_000)).last);
    } catch {
      seen.ending = (await c.ending(1_000).catch(() => ({ ending: 'open' }))).ending;
      c.destroy();
      return seen;
    }
  }
}

async function hold(): Promise<void> {
  const idle = await Promise.all(Array.from({ length: config.sessions }, (_, i) => open(i)));
  const inData = await Promise.all(
    Array.from({ length: config.dataSessions ?? 0 }, async (_, i) => {
      const c = await open(config.sessions + i);
      await startData(c, config.sessions + i);
      await write(c, bodyChunk(64 * 1024));
      return c;
    }),
  );
  const idleSeen = idle.map((c) => untilClosed(c, { replies: [], ending: 'open' }));
  emit('ready', { idle: idle.length, inData: inData.length });
  await nextCommand('finish');
  const dataSeen = inData.map(async (c) => {
    await write(c, bodyChunk(64 * 1024));
    c.send('.');
    return untilClosed(c, { replies: [], ending: 'open' });
  });
  emit('result', { idle: await Promise.all(idleSeen), inData: await Promise.all(dataSeen) });
}

(config.action === 'load' ? load() : hold()).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`sessions-client: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
  },
);
