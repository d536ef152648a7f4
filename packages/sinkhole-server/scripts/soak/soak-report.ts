import type { SoakOptions } from './soak-args.js';

/** One line the server child prints every second. */
export interface ServerSample {
  readonly t: number;
  readonly rssMb: number;
  readonly heapUsedMb: number;
  readonly heapTotalMb: number;
  readonly externalMb: number;
  readonly fds: number;
  readonly handles: number;
  readonly connections: number;
  readonly loopP50Ms: number;
  readonly loopP99Ms: number;
  readonly loopMaxMs: number;
  readonly connection: number;
  readonly accepted: number;
  readonly acceptedWhileRefusing: number;
  readonly hookProblems: number;
  readonly providerErrors: number;
  readonly lines: number;
}

/** A CSV row: the server's sample plus the client side's counters and the mode file's mode. */
export interface SoakRow extends ServerSample {
  readonly phase: 'load' | 'settle';
  readonly mode: string;
  readonly clientSessions: number;
  readonly clientProblems: number;
}

const COLUMNS: readonly (keyof SoakRow)[] = [
  't', 'phase', 'mode', 'rssMb', 'heapUsedMb', 'heapTotalMb', 'externalMb', 'fds', 'handles', 'connections',
  'loopP50Ms', 'loopP99Ms', 'loopMaxMs', 'connection', 'accepted', 'acceptedWhileRefusing', 'hookProblems',
  'providerErrors', 'lines', 'clientSessions', 'clientProblems',
];

export function toCsv(rows: readonly SoakRow[]): string {
  const cell = (v: unknown): string => (typeof v === 'number' ? String(Math.round(v * 100) / 100) : String(v));
  return `${COLUMNS.join(',')}\n${rows.map((r) => COLUMNS.map((c) => cell(r[c])).join(',')).join('\n')}\n`;
}

/** Least-squares slope of y per second. */
function slope(points: readonly (readonly [number, number])[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

export interface Verdict {
  readonly pass: boolean;
  readonly text: string;
  readonly figures: Readonly<Record<string, number | string>>;
}

/**
 * The verdict: RSS and leaked-descriptor slopes over the load after its first quarter (the
 * warm-up), the worst event-loop delay, client-side problems, mail accepted in a refusing mode,
 * hook failures, and whether the server exited cleanly.
 */
export function verdict(rows: readonly SoakRow[], options: SoakOptions, extra: { readonly exitCode: number | null; readonly firstProblems: readonly string[]; readonly outcomes: ReadonlyMap<string, number>; readonly flips: number }): Verdict {
  const load = rows.filter((r) => r.phase === 'load');
  const warm = load.filter((r) => r.t >= Math.max(10, (load.at(-1)?.t ?? 0) / 4));
  const rssSlope = slope(warm.map((r) => [r.t, r.rssMb])) * 60;
  const fdSlope = slope(warm.map((r) => [r.t, r.fds - r.connections])) * 60;
  const maxLoop = Math.max(0, ...rows.map((r) => r.loopMaxMs));
  const maxP99 = Math.max(0, ...rows.map((r) => r.loopP99Ms));
  const last = rows.at(-1);
  const first = warm[0] ?? load[0];
  const figures = {
    seconds: Math.round(load.at(-1)?.t ?? 0),
    sessions: last?.clientSessions ?? 0,
    clientProblems: last?.clientProblems ?? 0,
    modeFlips: extra.flips,
    rssAfterWarmUpMb: round(first?.rssMb ?? 0),
    rssMaxMb: round(Math.max(0, ...rows.map((r) => r.rssMb))),
    rssAtEndMb: round(last?.rssMb ?? 0),
    rssSlopeMbPerMin: round(rssSlope),
    fdsMinusConnectionsSlopePerMin: round(fdSlope),
    fdsAtEnd: last?.fds ?? 0,
    connectionsAtEnd: last?.connections ?? 0,
    loopDelayMaxMs: round(maxLoop),
    loopDelayP99MaxMs: round(maxP99),
    acceptedWhileRefusing: last?.acceptedWhileRefusing ?? 0,
    hookProblems: last?.hookProblems ?? 0,
    providerErrors: last?.providerErrors ?? 0,
    serverExit: String(extra.exitCode),
  };
  const failures: string[] = [];
  const windowSeconds = (warm.at(-1)?.t ?? 0) - (warm[0]?.t ?? 0);
  const judgeSlopes = windowSeconds >= MIN_SLOPE_WINDOW_S;
  if (judgeSlopes && rssSlope > options.maxRssSlopeMbPerMin) failures.push(`RSS grows ${round(rssSlope)} MB/min (limit ${options.maxRssSlopeMbPerMin})`);
  if (judgeSlopes && fdSlope > options.maxFdSlopePerMin) failures.push(`descriptors beyond open connections grow ${round(fdSlope)}/min (limit ${options.maxFdSlopePerMin})`);
  if (maxLoop > options.maxLoopDelayMs) failures.push(`event-loop delay reached ${round(maxLoop)} ms (limit ${options.maxLoopDelayMs})`);
  if (figures.clientProblems > 0) failures.push(`${figures.clientProblems} client sessions saw something the server should never do`);
  if (figures.acceptedWhileRefusing > 0) failures.push(`${figures.acceptedWhileRefusing} messages accepted in defer or bounce mode`);
  if (figures.hookProblems > 0) failures.push(`${figures.hookProblems} hook-error/hook-timeout lines`);
  if (extra.exitCode !== 0) failures.push(`the server exited with ${String(extra.exitCode)}`);
  const pass = failures.length === 0;
  const outcomes = [...extra.outcomes].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k} ${v}`).join(', ');
  const text = [
    `soak verdict: ${pass ? 'PASS' : 'FAIL'}`,
    ...failures.map((f) => `  - ${f}`),
    ...(judgeSlopes ? [] : [`  (slopes not judged: ${Math.round(windowSeconds)} s after warm-up; run for 3 minutes or more)`]),
    `figures: ${Object.entries(figures).map(([k, v]) => `${k}=${v}`).join(' ')}`,
    `client outcomes: ${outcomes}`,
    ...(extra.firstProblems.length > 0 ? ['first problems:', ...extra.firstProblems.map((p) => `  ${p}`)] : []),
  ].join('\n');
  return { pass, text, figures };
}

const round = (n: number): number => Math.round(n * 100) / 100;
/** Shorter windows are dominated by garbage-collector saw-teeth. */
const MIN_SLOPE_WINDOW_S = 120;
