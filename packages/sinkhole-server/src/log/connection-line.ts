import { quote } from './json-line.js';
import { dsnField } from './dsn-field.js';
import type { SinkholeEvent } from './sinkhole-events.js';

type Connection = Extract<SinkholeEvent, { msg: 'connection' }>;

function strings(items: readonly string[]): string {
  let out = '';
  for (let i = 0; i < items.length; i++) out += `${i === 0 ? '' : ','}${quote(items[i] as string)}`;
  return `[${out}]`;
}

function recipients(items: Connection['recipients']): string {
  let out = '';
  for (let i = 0; i < items.length; i++) {
    const r = items[i] as Connection['recipients'][number];
    out += `${i === 0 ? '' : ','}{"address":${quote(r.address)},"attempt":${r.attempt},"code":${r.code}}`;
  }
  return `[${out}]`;
}

/**
 * `replyCounts` as JSON.stringify writes it (integer keys ascending). Its keys are exactly the
 * codes in `replies` (both come from the session's reply counter), so they are read by index
 * from that short list rather than by for-in, which turns every integer key into a string.
 */
function counts(replies: readonly number[], record: Readonly<Record<string, number>>): string {
  const codes = replies.length < 2 ? replies : [...replies].sort((a, b) => a - b);
  let out = '';
  for (let i = 0; i < codes.length; i++) {
    const count = record[codes[i] as number];
    if (count === undefined || !Number.isInteger(codes[i]) || (codes[i] as number) < 0) return JSON.stringify(record);
    out += `${i === 0 ? '' : ','}"${codes[i]}":${count}`;
  }
  return `{${out}}`;
}

/**
 * The `connection` line, written once per connection (once per message when clients connect
 * per message): the same text as logLine() gives (a test holds them equal), without a
 * generic JSON.stringify of the record.
 */
export function connectionLine(time: string, level: string, e: Connection): string {
  return (
    `{"time":"${time}","level":"${level}","msg":"connection","id":${quote(e.id)},"client":${e.client === null ? 'null' : quote(e.client)},"mode":${quote(e.mode)},` +
    `"helo":${e.helo === null ? 'null' : quote(e.helo)},"mailFrom":${e.mailFrom === null ? 'null' : quote(e.mailFrom)},"rcptTo":${strings(e.rcptTo)},` +
    `"rcptCount":${e.rcptCount},"recipients":${recipients(e.recipients)}${dsnField(e.dsn)},"messages":${e.messages},"replies":[${e.replies.join(',')}],"replyCounts":${counts(e.replies, e.replyCounts)},` +
    `"bytesIn":${e.bytesIn},"bytesOut":${e.bytesOut},"durationMs":${e.durationMs},"reason":${quote(e.reason)}}\n`
  );
}
