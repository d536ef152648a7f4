import * as core from '@sinkhole/smtp-core';
import type { MicroCase } from './micro-types.js';
import { measureRate, type MeasureOptions } from './measure.js';

/**
 * The engine's hot path, one function per case, fed with what the socket benchmarks send:
 * LineFramer (command bytes → lines), DataDecoder (message bytes → body pieces) and
 * parseCommand (line → Command). A drop here points at the function that regressed.
 */
const COMMANDS = [
  'EHLO client.test',
  'MAIL FROM:<bench@client.test> SIZE=1024 BODY=8BITMIME',
  'RCPT TO:<sink@server.test>',
  'DATA',
  'RSET',
  'NOOP',
  'MAIL FROM:<>',
  'RCPT TO:<postmaster>',
  'QUIT',
];

export interface CaseOutcome {
  readonly cases: MicroCase[];
  /** Why a case could not run (an export missing or throwing). */
  readonly skipped: string[];
}

export function runHotPathCases(options?: MeasureOptions): CaseOutcome {
  const cases: MicroCase[] = [];
  const skipped: string[] = [];
  const attempt = (name: string, run: () => MicroCase): void => {
    try {
      cases.push(run());
    } catch (err) {
      skipped.push(`${name}: ${(err as Error).message}`);
    }
  };

  const commandStream = Buffer.from(repeatTo(COMMANDS.map((c) => `${c}\r\n`).join(''), 64 * 1024), 'latin1');
  const commandLines = commandStream.toString('latin1').split('\r\n').length - 1;
  for (const chunkSize of [16 * 1024, 64]) {
    attempt(`LineFramer ${chunkSize} B chunks`, () => {
      const LineFramer = required(core.LineFramer, 'LineFramer');
      const chunks = split(commandStream, chunkSize);
      const rate = measureRate(() => {
        const framer = new LineFramer({ maxLineLength: 512 });
        let lines = 0;
        for (const chunk of chunks) {
          framer.push(chunk);
          while (framer.next() !== null) lines++;
        }
        return lines;
      }, commandStream.length, options);
      return { name: `LineFramer.push/next, ${chunkSize} B chunks`, unit: 'bytes/s', rate, note: `${commandStream.length} B of pipelined commands (${commandLines} lines)` };
    });
  }

  const plain = Buffer.from(`${repeatTo('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmn\r\n', 1024 * 1024)}.\r\n`, 'latin1');
  const dotted = Buffer.from(`${repeatTo('..stuffed line of text that starts with a dot, as quoted-printable often does\r\n', 1024 * 1024)}.\r\n`, 'latin1');
  for (const [label, body] of [['plain text', plain], ['every line dot-stuffed', dotted]] as const) {
    attempt(`DataDecoder ${label}`, () => {
      const DataDecoder = required(core.DataDecoder, 'DataDecoder');
      const chunks = split(body, 64 * 1024);
      const rate = measureRate(() => {
        let bytes = 0;
        const decoder = new DataDecoder({ maxBytes: 10 * 1024 * 1024, onBody: (piece: Buffer) => void (bytes += piece.length) });
        for (const chunk of chunks) if (decoder.push(chunk) !== -1) break;
        return bytes;
      }, body.length, options);
      return { name: `DataDecoder.push, ${label}`, unit: 'bytes/s', rate, note: `1 MB body in 64 KB chunks` };
    });
  }

  attempt('parseCommand', () => {
    const parseCommand = required(core.parseCommand, 'parseCommand');
    const lines = COMMANDS.map((c) => Buffer.from(c, 'latin1'));
    const rate = measureRate(() => {
      let n = 0;
      for (const line of lines) if (parseCommand(line).verb.length > 0) n++;
      return n;
    }, lines.length, options);
    return { name: 'parseCommand', unit: 'commands/s', rate, note: `mix of ${lines.length}: EHLO, MAIL with SIZE/BODY, RCPT, DATA, RSET, NOOP, QUIT…` };
  });

  attempt('formatReply', () => {
    const formatReply = required(core.formatReply, 'formatReply');
    const reply = required(core.reply, 'reply');
    const r = reply(250, '2.1.5', 'OK');
    const rate = measureRate(() => formatReply(r, true).length, 1, options);
    return { name: 'formatReply (uncached)', unit: 'commands/s', rate, note: '250 2.1.5 OK' };
  });

  return { cases, skipped };
}

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`@sinkhole/smtp-core does not export ${name}`);
  return value;
}

function repeatTo(unit: string, bytes: number): string {
  return unit.repeat(Math.max(1, Math.floor(bytes / unit.length)));
}

function split(buf: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) out.push(buf.subarray(i, i + size));
  return out;
}
