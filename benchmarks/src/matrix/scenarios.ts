import type { Mode } from '../load/load-types.js';

/** How a scenario drives the server: our load client, Postfix's smtp-source, or idle connections. */
export type ClientKind = 'node' | 'smtp-source' | 'idle';

export interface Scenario {
  readonly id: string;
  readonly title: string;
  readonly client: ClientKind;
  readonly mode: Mode;
  readonly messageSize: number;
  readonly concurrency: number;
  readonly reuse: boolean;
  readonly pipelining: boolean;
  /** For client 'idle': connections held open. */
  readonly idleConnections: number;
  /** The sinkhole's mode text when it is not the plain mode word (a scenario document). */
  readonly sinkholeMode?: string;
  /** STARTTLS after EHLO (the targets that cannot offer it are reported unavailable). */
  readonly tls?: boolean;
  /** The RCPT TO address (default sink@server.test), e.g. one with an address script. */
  readonly rcptTo?: string;
}

export type Profile = 'full' | 'ci';

export interface ProfileSettings {
  readonly profile: Profile;
  readonly repetitions: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  /** Wall-clock budget: waiting for quiet and re-runs stop when the projected end would pass it. */
  readonly timeBudgetMs: number;
  readonly scenarios: readonly Scenario[];
}

/** The scenario whose sinkhole / node-sink ratio gates CI and heads the report. */
export const HEADLINE_ID = 'accept-1k-c50-reuse';

const KB = 1024;

/**
 * 50 RCPT rules of the kinds operators write (globs, networks, attempts), none of which the
 * load matches, so every RCPT tries all 50 before the document's otherwise (accept) answers.
 */
const FIFTY_RULES = JSON.stringify({
  name: 'bench-50',
  otherwise: 'accept',
  rules: Array.from({ length: 50 }, (_, i) =>
    i % 3 === 0
      ? { to: `*+t${i}@*`, reply: 'defer' }
      : i % 3 === 1
        ? { client: `198.51.${i}.0/24`, reply: 'bounce' }
        : { to: `user${i}@*`, attempt: { max: 2 }, reply: '451 4.3.0 Try again' },
  ),
});

function load(id: string, title: string, over: Partial<Scenario>): Scenario {
  return { id, title, client: 'node', mode: 'accept', messageSize: KB, concurrency: 50, reuse: true, pipelining: false, idleConnections: 0, ...over };
}

export const ALL_SCENARIOS: readonly Scenario[] = [
  load('accept-1k-c1-reuse', '1 KB, 1 session, reuse', { concurrency: 1 }),
  load('accept-1k-c10-reuse', '1 KB, 10 sessions, reuse', { concurrency: 10 }),
  load(HEADLINE_ID, '1 KB, 50 sessions, reuse', { concurrency: 50 }),
  load('accept-1k-c200-reuse', '1 KB, 200 sessions, reuse', { concurrency: 200 }),
  load('accept-1k-c50-reuse-pipelined', '1 KB, 50 sessions, reuse, pipelined', { concurrency: 50, pipelining: true }),
  load('accept-1k-c10-per-message', '1 KB, 10 sessions, 1 connection/message', { concurrency: 10, reuse: false }),
  load('accept-1k-c50-per-message', '1 KB, 50 sessions, 1 connection/message', { concurrency: 50, reuse: false }),
  load('accept-100k-c10-reuse', '100 KB, 10 sessions, reuse', { concurrency: 10, messageSize: 100 * KB }),
  load('defer-c10', 'defer (421 at RCPT, close), 10 sessions', { concurrency: 10, mode: 'defer', reuse: false }),
  load('defer-c50', 'defer (421 at RCPT, close), 50 sessions', { concurrency: 50, mode: 'defer', reuse: false }),
  load('accept-1k-c10-reuse-tls', '1 KB, 10 sessions, reuse, STARTTLS', { concurrency: 10, tls: true }),
  load('accept-1k-c50-reuse-doc50', '1 KB, 50 sessions, reuse; sinkhole: a 50-rule document (no rule matches)', { sinkholeMode: FIFTY_RULES }),
  load('accept-1k-c50-reuse-scripts', '1 KB, 50 sessions, reuse; every RCPT an address script (+250)', { rcptTo: 'sink+250@server.test' }),
  load('smtp-source-1k-c50-reuse', '1 KB, 50 sessions, reuse (smtp-source client)', { client: 'smtp-source' }),
  load('idle-10k', '10,000 idle connections (after EHLO)', { client: 'idle', concurrency: 0, idleConnections: 10_000 }),
];

const CI_IDS = new Set([HEADLINE_ID, 'defer-c50']);

/**
 * Warm-ups long enough for every target's JIT to settle (the same for all targets): with 0.5 s the
 * one-connection-per-message cells still measured the sinkhole's larger code base being compiled.
 */
export function profileSettings(profile: Profile): ProfileSettings {
  if (profile === 'ci') {
    return { profile, repetitions: 3, warmupMs: 1000, durationMs: 2000, timeBudgetMs: 160_000, scenarios: ALL_SCENARIOS.filter((s) => CI_IDS.has(s.id)) };
  }
  return { profile, repetitions: 3, warmupMs: 1500, durationMs: 2500, timeBudgetMs: 15 * 60_000, scenarios: ALL_SCENARIOS };
}
