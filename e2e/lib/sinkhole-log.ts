// The sinkhole's stdout: one JSON object per line. Readers here tolerate small shape differences
// (plain strings or objects for recipients, numbers or reply lines for replies).

export interface SinkholeEvent {
  readonly msg: string;
  readonly [field: string]: unknown;
}

export function parseSinkholeLine(line: string): SinkholeEvent | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value === 'object' && value !== null && typeof (value as { msg?: unknown }).msg === 'string') {
      return value as SinkholeEvent;
    }
  } catch {
    // not JSON: ignored
  }
  return undefined;
}

function addressOf(item: unknown): string | undefined {
  if (typeof item === 'string') return item;
  if (typeof item === 'object' && item !== null) {
    for (const key of ['address', 'addr', 'to', 'rcpt']) {
      const v = (item as Record<string, unknown>)[key];
      if (typeof v === 'string') return v;
    }
  }
  return undefined;
}

/** The recipient addresses an event names (`rcptTo`), in order. */
export function recipientsOf(event: SinkholeEvent): string[] {
  const list = event['rcptTo'];
  if (!Array.isArray(list)) return [];
  return list.map(addressOf).filter((a): a is string => a !== undefined);
}

function codeOf(item: unknown): number | undefined {
  if (typeof item === 'number') return item;
  if (typeof item === 'string') {
    const n = Number.parseInt(item.slice(0, 3), 10);
    return Number.isNaN(n) ? undefined : n;
  }
  if (typeof item === 'object' && item !== null) return codeOf((item as Record<string, unknown>)['code']);
  return undefined;
}

/** The reply codes a connection event lists (`replies`), in order. */
export function replyCodesOf(event: SinkholeEvent): number[] {
  const list = event['replies'];
  if (!Array.isArray(list)) return [];
  return list.map(codeOf).filter((c): c is number => c !== undefined);
}

export const isAccepted = (e: SinkholeEvent): boolean => e.msg === 'accepted';
export const isConnection = (e: SinkholeEvent): boolean => e.msg === 'connection';
