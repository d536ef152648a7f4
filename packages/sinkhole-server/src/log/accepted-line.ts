import { dsnField } from './dsn-field.js';
import { jsonChars, quote } from './json-line.js';
import type { SinkholeEvent } from './sinkhole-events.js';

type Accepted = Extract<SinkholeEvent, { msg: 'accepted' }>;

/**
 * The `accepted` line, written once per message, so it gets its own formatter: the same text
 * as logLine() gives (a test holds them equal), without a generic JSON.stringify of a new
 * object per message, which was the largest cost of accept mode after the socket writes.
 */
export function acceptedLine(time: string, level: string, e: Accepted): string {
  let rcptTo = '';
  for (let i = 0; i < e.rcptTo.length; i++) rcptTo += `${i === 0 ? '"' : ',"'}${jsonChars(e.rcptTo[i] as string)}"`;
  const headers =
    e.headers === undefined
      ? ''
      : `,"headers":${e.headers === null ? 'null' : quote(e.headers)}${e.headersTruncated === undefined ? '' : `,"headersTruncated":${e.headersTruncated}`}`;
  const body = e.body === undefined ? '' : `,"body":"${e.body}","chunks":${e.chunks ?? 0}`;
  return (
    `{"time":"${time}","level":"${level}","msg":"accepted","id":"${jsonChars(e.id)}","client":"${jsonChars(e.client)}","mode":"${jsonChars(e.mode)}",` +
    `"helo":${e.helo === null ? 'null' : `"${jsonChars(e.helo)}"`},"mailFrom":"${jsonChars(e.mailFrom)}","rcptTo":[${rcptTo}],"size":${e.size}${body}${dsnField(e.dsn)}${headers}}\n`
  );
}
