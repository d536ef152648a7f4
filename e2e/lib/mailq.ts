// Parses `sendmail -bp` (mailq) output.

export interface QueueEntry {
  readonly id: string;
  readonly sender: string;
  /** The "(Deferred: ...)" text without the parentheses, when present. */
  readonly status: string | undefined;
  readonly recipients: readonly string[];
}

export interface MailQueue {
  readonly empty: boolean;
  readonly entries: readonly QueueEntry[];
  readonly raw: string;
}

const ENTRY = /^([A-Za-z0-9]{8,})[*X-]?\s+\d+\s+\w{3} \w{3}\s+\d+ \d\d:\d\d\s+(\S+)\s*$/;
const STATUS = /^\s+\((.*)\)\s*$/;
const RECIPIENT = /^\s+(\S+@\S+|\S+)\s*$/;

export function parseMailq(output: string): MailQueue {
  const entries: { id: string; sender: string; status: string | undefined; recipients: string[] }[] = [];
  for (const line of output.split('\n')) {
    const entry = ENTRY.exec(line);
    if (entry?.[1] !== undefined && entry[2] !== undefined) {
      entries.push({ id: entry[1], sender: entry[2], status: undefined, recipients: [] });
      continue;
    }
    const current = entries.at(-1);
    if (current === undefined || /Total requests|^-----/.test(line)) continue;
    const status = STATUS.exec(line);
    if (status?.[1] !== undefined) {
      current.status = status[1];
      continue;
    }
    const rcpt = RECIPIENT.exec(line);
    if (rcpt?.[1] !== undefined) current.recipients.push(rcpt[1].replace(/^<(.*)>$/, '$1'));
  }
  return { empty: /\bis empty\b/.test(output) && entries.length === 0, entries, raw: output };
}
