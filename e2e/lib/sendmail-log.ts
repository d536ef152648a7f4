// Parses sendmail's syslog lines ("<22>Nov 23 02:27:15 sendmail[5949]: 6AN2RDmB005920: to=..., stat=Sent").

export interface SendmailLogLine {
  readonly pid: number;
  /** The queue id, or "NOQUEUE", or undefined for lines without one. */
  readonly queueId: string | undefined;
  /** The text after the queue id. */
  readonly text: string;
  /** key=value pairs of the text (to, stat, dsn, reply, relay, ...). */
  readonly fields: Readonly<Record<string, string>>;
}

const HEADER = /(?:^|\s)[\w.-]+\[(\d+)\]: (.*)$/;
const QUEUE_ID = /^([A-Za-z0-9]{8,}|NOQUEUE): (.*)$/;
const FIELD_START = /(?:^|, )([a-z_]+)=/g;

export function parseFields(text: string): Record<string, string> {
  const starts: { key: string; keyAt: number; valueAt: number }[] = [];
  for (const m of text.matchAll(FIELD_START)) {
    const key = m[1];
    if (key === undefined || m.index === undefined) continue;
    starts.push({ key, keyAt: m.index, valueAt: m.index + m[0].length });
  }
  const fields: Record<string, string> = {};
  starts.forEach((s, i) => {
    const end = starts[i + 1]?.keyAt ?? text.length;
    fields[s.key] = text.slice(s.valueAt, end);
  });
  return fields;
}

export function parseSendmailLine(line: string): SendmailLogLine | undefined {
  const header = HEADER.exec(line);
  if (header === null || header[1] === undefined || header[2] === undefined) return undefined;
  const pid = Number(header[1]);
  const q = QUEUE_ID.exec(header[2]);
  const queueId = q?.[1];
  const text = q?.[2] ?? header[2];
  return { pid, queueId, text, fields: parseFields(text) };
}

/** The delivery lines (those with to= and stat=), in order. */
export function deliveryLines(lines: readonly string[]): SendmailLogLine[] {
  return lines
    .map(parseSendmailLine)
    .filter((l): l is SendmailLogLine => l !== undefined && 'to' in l.fields && 'stat' in l.fields);
}

/** Strips the angle brackets sendmail keeps around SMTP-submitted addresses. */
export function bareAddress(address: string): string {
  return address.replace(/^<(.*)>$/, '$1');
}
