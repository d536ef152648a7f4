/** Longest duration a Node timer can wait (2^31 - 1 ms, about 24.8 days). */
export const MAX_DURATION_MS = 2_147_483_647;

const DURATION_RE = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/;
const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
const SIZE_RE = /^(\d+)(k|kb|kib|m|mb|mib|g|gb|gib)?$/;
const SIZE_UNITS: Readonly<Record<string, number>> = {
  k: 1024, kb: 1024, kib: 1024,
  m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2,
  g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3,
};

export type ValueResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

const ok = <T>(value: T): ValueResult<T> => ({ ok: true, value });
const bad = <T>(problem: string): ValueResult<T> => ({ ok: false, problem });

/** `500ms`, `30s`, `5m`, `1h`, `1.5s` or plain milliseconds (`250`), rounded to whole milliseconds. */
export function parseDuration(text: string): ValueResult<number> {
  const m = DURATION_RE.exec(text.trim());
  if (m === null) return bad('expected a duration such as 500ms, 30s, 5m, 1h or plain milliseconds');
  const ms = Math.round(Number(m[1]) * (DURATION_UNITS[m[2] ?? 'ms'] ?? 1));
  if (!Number.isSafeInteger(ms) || ms > MAX_DURATION_MS) return bad(`a duration must be at most ${MAX_DURATION_MS} ms (about 24.8 days)`);
  return ok(ms);
}

/** Bytes: `1048576`, `512k`, `10m`, `1g` (1024-based; kb/kib/mb/mib/gb/gib are accepted too; any case). */
export function parseByteSize(text: string): ValueResult<number> {
  const m = SIZE_RE.exec(text.trim().toLowerCase());
  if (m === null) return bad('expected a size in bytes such as 1048576, 512k, 10m or 1g');
  const bytes = Number(m[1]) * (m[2] === undefined ? 1 : (SIZE_UNITS[m[2]] ?? 1));
  if (!Number.isSafeInteger(bytes)) return bad('the size is too large');
  return ok(bytes);
}

/** A decimal integer without sign or exponent. */
export function parseCount(text: string): ValueResult<number> {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return bad('expected a whole number');
  const value = Number(trimmed);
  if (!Number.isSafeInteger(value)) return bad('the number is too large');
  return ok(value);
}

/** The shortest exact way to write a duration: `30m`, `100s`, `1500ms`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1_000 === 0) return `${ms / 1_000}s`;
  return `${ms}ms`;
}

/** The shortest exact way to write a byte size: `64m`, `512k`, `1000`. */
export function formatByteSize(bytes: number): string {
  if (bytes !== 0 && bytes % 1024 ** 3 === 0) return `${bytes / 1024 ** 3}g`;
  if (bytes !== 0 && bytes % 1024 ** 2 === 0) return `${bytes / 1024 ** 2}m`;
  if (bytes !== 0 && bytes % 1024 === 0) return `${bytes / 1024}k`;
  return String(bytes);
}
