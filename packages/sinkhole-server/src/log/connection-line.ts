import { quote } from './accepted-line.js';
import type { SinkholeEvent } from './sinkhole-events.js';

type Connection = Extract<SinkholeEvent, { msg: 'connection' }>;

function strings(items: readonly string[]): string {
  let out = '';
  for (let i = 0; i < items.length; i++) out += `${i === 0 ? '' : ','}${quote(items[i] as string)}`;
  return `[${out}]`;
}

function counts(record: Readonly<Record<string, number>>): string {
  let out = '';
  for (const key in record) out += `${out === '' ? '' : ','}${quote(key)}:${record[key] as number}`;
  return `{${out}}`;
}

/**
 * The `connection` line, written once per connection (once per message when clients connect
 * per message): the same text as logLine() gives (a test holds them equal), without a
 * generic JSON.stringify of the record.
 */
export function connectionLine(time: string, level: string, e: Connection): string {
  return (
    `{"time":"${time}","level":"${level}","msg":"connection","id":${quote(e.id)},"client":${quote(e.client)},"mode":${quote(e.mode)},` +
    `"helo":${e.helo === null ? 'null' : quote(e.helo)},"mailFrom":${e.mailFrom === null ? 'null' : quote(e.mailFrom)},"rcptTo":${strings(e.rcptTo)},` +
    `"rcptCount":${e.rcptCount},"messages":${e.messages},"replies":[${e.replies.join(',')}],"replyCounts":${counts(e.replyCounts)},` +
    `"bytesIn":${e.bytesIn},"bytesOut":${e.bytesOut},"durationMs":${e.durationMs},"reason":${quote(e.reason)}}\n`
  );
}
