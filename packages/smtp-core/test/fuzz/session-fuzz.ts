import fc from 'fast-check';
import type { SessionPolicy } from '../../src/policy.js';
import { reply, type Reply } from '../../src/protocol/replies.js';
import { ProtocolHarness } from '../support/protocol-harness.js';

/**
 * The fuzz target: one whole SMTP session on the sans-I/O engine, fed an arbitrary byte
 * stream in arbitrary chunks, under a policy that answers arbitrarily. `checkSession` throws
 * when an invariant breaks; the arbitraries below aim the bytes at the deep states (DATA, dot
 * lines, limits) as well as at plain garbage.
 */

const TOKENS = [
  'EHLO client.test\r\n', 'HELO x\r\n', 'ehlo\r\n', 'MAIL FROM:<a@b.c>\r\n', 'MAIL FROM:<>\r\n', 'MAIL FROM:<a@b.c> SIZE=10 BODY=8BITMIME\r\n',
  'MAIL FROM:<ü@b.c> SMTPUTF8\r\n', 'MAIL FROM:a@b\r\n', 'RCPT TO:<d@e.f>\r\n', 'RCPT TO:<Postmaster>\r\n', 'RCPT TO:<@r:x@y.z>\r\n',
  'RCPT TO:<"q t"@[127.0.0.1]>\r\n', 'DATA\r\n', 'DATA x\r\n', '.\r\n', '\r\n.\r\n', '..\r\n', '\n.\n', '\r.\r', 'RSET\r\n', 'NOOP\r\n',
  'QUIT\r\n', 'VRFY a\r\n', 'HELP\r\n', 'EXPN x\r\n', 'BDAT 3 LAST\r\n', 'GET / HTTP/1.1\r\n', 'Subject: x\r\n', '\r\n', '\r', '\n', '.',
  '\u0000', '\u00ff\u00fe', 'A'.repeat(700), 'X'.repeat(5000),
];

export const streamArbitrary = fc
  .array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...TOKENS).map((t) => Buffer.from(t, 'utf8')) }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)) }), { maxLength: 60 })
  .map((parts) => Buffer.concat(parts));

export const cutsArbitrary = fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 30 });

const DECISIONS: readonly (Reply | undefined)[] = [
  undefined,
  undefined,
  undefined,
  reply(250, '2.0.0', 'fine'),
  reply(421, '4.3.2', 'Service temporarily unavailable'),
  reply(450, '4.2.1', 'later'),
  reply(550, '5.1.1', 'User unknown'),
  reply(354, null, 'go on'),
  { code: 999, enhanced: undefined, lines: ['not a reply'] },
];

/** A policy whose every hook answers with the next decision of a fixed script. */
export function scriptedPolicy(script: readonly number[], throwAt: number): SessionPolicy {
  let calls = 0;
  const next = (): Reply | undefined => {
    const index = calls++;
    if (index === throwAt) throw new Error('scripted failure');
    return DECISIONS[(script[index % Math.max(1, script.length)] ?? 0) % DECISIONS.length];
  };
  // A script that starts with 4 refuses the greeting with 421.
  const greeting = script[0] === 4 ? DECISIONS[4] : undefined;
  return { captureHeaders: true, onConnect: () => greeting, onHelo: next, onMailFrom: next, onRcptTo: next, onDataStart: next, onDataEnd: next };
}

export const policyArbitrary = fc.record({ script: fc.array(fc.nat({ max: 50 }), { maxLength: 20 }), throwAt: fc.integer({ min: -1, max: 20 }) });

// RFC 5321 §4.2: Reply-line = *( Reply-code "-" [ textstring ] CRLF ) Reply-code [ SP textstring ] CRLF
const REPLY_LINE = /^([2-5][0-5]\d)([- ]|$)(.*)$/;

export function checkSession(stream: Buffer, cuts: readonly number[], policy: { script: readonly number[]; throwAt: number }): void {
  const harness = new ProtocolHarness({ policy: scriptedPolicy(policy.script, policy.throwAt), limits: { maxLineLength: 1024, maxMessageSize: 2000, maxRecipients: 3, maxProtocolErrors: 20, maxHeaderBytes: 100 } });
  let pos = 0;
  let i = 0;
  while (pos < stream.length) {
    const size = cuts[i++ % cuts.length] ?? 1;
    harness.protocol.receive(stream.subarray(pos, pos + size));
    pos += size;
  }
  harness.protocol.endOfInput();

  const output = harness.output;
  const written = harness.writes.reduce((n, w) => n + w.length, 0);
  if (harness.session.bytesOut !== written) throw new Error(`bytesOut ${harness.session.bytesOut} != written ${written}`);
  if (output !== '' && !output.endsWith('\r\n')) throw new Error('output does not end with CRLF');
  const lines = output === '' ? [] : output.slice(0, -2).split('\r\n');
  const codes: number[] = [];
  let open: string | undefined;
  for (const line of lines) {
    const m = REPLY_LINE.exec(line);
    if (m === null) throw new Error(`malformed reply line ${JSON.stringify(line)}`);
    const [, code, sep, text] = m as unknown as [string, string, string, string];
    if (open !== undefined && open !== code) throw new Error(`multi-line reply changes code: ${open} -> ${code}`);
    const enhanced = /^([245])\.\d{1,3}\.\d{1,3}( |$)/.exec(text);
    if (enhanced !== null && enhanced[1] !== code[0]) throw new Error(`enhanced code class mismatch in ${JSON.stringify(line)}`);
    if (sep === '-') open = code;
    else {
      open = undefined;
      codes.push(Number(code));
    }
  }
  if (open !== undefined) throw new Error('unterminated multi-line reply');
  const crlfs = stream.toString('latin1').split('\r\n').length - 1;
  if (codes.length > crlfs + 2) throw new Error(`${codes.length} replies for ${crlfs} lines`);
  if (codes.length === 0) throw new Error('no greeting');
  if (![220, 421].includes(codes[0] as number)) throw new Error(`first reply ${codes[0]}`);
  const last = codes.at(-1);
  const reason = harness.endReason;
  if (reason === 'quit' && last !== 221) throw new Error(`closed by QUIT but the last reply was ${last}`);
  if (reason === 'reply-421' && last !== 421) throw new Error(`closed by a 421 but the last reply was ${last}`);
  if (reason === undefined) throw new Error('the session did not end after the input ended');
  for (const event of harness.events) {
    if (event.type === 'hook-error' && !(event.error instanceof Error)) throw new Error('hook-error without an Error');
  }
}
