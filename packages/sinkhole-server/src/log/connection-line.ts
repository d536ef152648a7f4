import { jsonChars, quote } from './json-line.js';
import { dsnField } from './dsn-field.js';
import type { SinkholeEvent } from './sinkhole-events.js';

type Connection = Extract<SinkholeEvent, { msg: 'connection' }>;

function strings(items: readonly string[]): string {
  let out = '';
  for (let i = 0; i < items.length; i++) out += `${i === 0 ? '"' : ',"'}${jsonChars(items[i] as string)}"`;
  return `[${out}]`;
}

function recipients(items: Connection['recipients']): string {
  let out = '';
  for (let i = 0; i < items.length; i++) {
    const r = items[i] as Connection['recipients'][number];
    out += `${i === 0 ? '' : ','}{"address":"${jsonChars(r.address)}","attempt":${r.attempt},"code":${r.code}}`;
  }
  return `[${out}]`;
}

/**
 * `replyCounts` as JSON.stringify writes an object keyed by code: integer keys ascending. The
 * few codes are picked in ascending order by repeated scans, without copying or sorting.
 */
function counts(replies: readonly number[], map: ReadonlyMap<number, number>): string {
  let out = '';
  let last = -1;
  for (let i = 0; i < replies.length; i++) {
    let code = Number.POSITIVE_INFINITY;
    for (const c of replies) if (c > last && c < code) code = c;
    out += `${i === 0 ? '' : ','}"${code}":${map.get(code) ?? 0}`;
    last = code;
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
    `{"time":"${time}","level":"${level}","msg":"connection","id":"${jsonChars(e.id)}","client":${e.client === null ? 'null' : `"${jsonChars(e.client)}"`},"mode":"${jsonChars(e.mode)}",` +
    `"helo":${e.helo === null ? 'null' : `"${jsonChars(e.helo)}"`},"mailFrom":${e.mailFrom === null ? 'null' : `"${jsonChars(e.mailFrom)}"`},"rcptTo":${strings(e.rcptTo)},` +
    `"rcptCount":${e.rcptCount},"recipients":${recipients(e.recipients)}${dsnField(e.dsn)},"messages":${e.messages},"replies":[${e.replies.join(',')}],"replyCounts":${counts(e.replies, e.replyCounts)},` +
    `"bytesIn":${e.bytesIn},"bytesOut":${e.bytesOut},"durationMs":${e.durationMs},"reason":"${jsonChars(e.reason)}"${tlsField(e.tls)}${authField(e.auth)}}\n`
  );
}

function tlsField(tls: Connection['tls']): string {
  return tls === undefined ? '' : `,"tls":{"protocol":${quote(tls.protocol)},"cipher":${quote(tls.cipher)}}`;
}

function authField(auth: Connection['auth']): string {
  return auth === undefined ? '' : `,"auth":{"mechanism":${quote(auth.mechanism)},"authorizationId":${quote(auth.authorizationId)}}`;
}
