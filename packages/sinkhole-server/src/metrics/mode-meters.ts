import type { MetricChild, MetricFamily } from './metric-family.js';

/** The reply phases counted: the sinkhole's own decisions, and every other reply of a session. */
export type ReplyPhase = 'rcpt' | 'data-end' | 'other';

/** Reply codes are three digits; children are kept in arrays indexed by code. */
const CODE_SLOTS = 600;

function slot(code: number): number {
  return Number.isInteger(code) && code >= 0 && code < CODE_SLOTS ? code : 0;
}

export interface ModeFamilies {
  readonly replies: MetricFamily;
  readonly messages: MetricFamily;
  readonly bodyBytes: MetricFamily;
  /** Address-script outcomes, by code (not by mode: a script overrides the mode). */
  readonly scripts: MetricFamily;
}

/**
 * The counters of one mode kind, with their children resolved on first use and kept in
 * arrays indexed by reply code: an increment is an array read and an addition.
 */
export class ModeMeters {
  readonly #replies: MetricFamily;
  readonly #mode: string;
  readonly #byPhase: Record<ReplyPhase, (MetricChild | undefined)[]> = { rcpt: [], 'data-end': [], other: [] };
  readonly #scripts: MetricFamily;
  readonly #scriptByCode: (MetricChild | undefined)[] = [];
  readonly messages: MetricChild;
  readonly bodyBytes: MetricChild;

  constructor(mode: string, families: ModeFamilies) {
    this.#mode = mode;
    this.#replies = families.replies;
    this.#scripts = families.scripts;
    this.messages = families.messages.labels(mode);
    this.bodyBytes = families.bodyBytes.labels(mode);
  }

  reply(phase: ReplyPhase, code: number, count = 1): void {
    this.#child(phase, code).inc(count);
  }

  /** Creates the mode's usual series at 0: its RCPT codes, and 250 at the end of data. */
  declare(rcptCodes: readonly number[]): void {
    for (const code of rcptCodes) this.#child('rcpt', code);
    if (rcptCodes.includes(250)) this.#child('data-end', 250);
  }

  #child(phase: ReplyPhase, code: number): MetricChild {
    const children = this.#byPhase[phase];
    const at = slot(code);
    let child = children[at];
    if (child === undefined) {
      child = this.#replies.labels(String(at), phase, this.#mode);
      children[at] = child;
    }
    return child;
  }

  /** An RCPT answered by the recipient's address script rather than by the mode. */
  script(code: number): void {
    const at = slot(code);
    let child = this.#scriptByCode[at];
    if (child === undefined) {
      child = this.#scripts.labels(String(at));
      this.#scriptByCode[at] = child;
    }
    child.inc();
  }
}

/**
 * One connection's replies, for the counters. RCPT and end-of-data replies are counted as the
 * sinkhole decides them; when the connection closes, every other reply it sent (greeting,
 * EHLO, MAIL, DATA, QUIT, errors) is counted from the engine's per-code tally, less the ones
 * already counted.
 */
export class SessionMeter {
  readonly #meters: ModeMeters;
  /** Codes counted so far and how often: [code, count, code, count, ...]; a session has very few. */
  #decided: number[] | undefined;

  constructor(meters: ModeMeters) {
    this.#meters = meters;
  }

  rcpt(code: number, scripted = false): void {
    this.#meters.reply('rcpt', code);
    if (scripted) this.#meters.script(code);
    this.#note(code);
  }

  accepted(size: number): void {
    const meters = this.#meters;
    meters.reply('data-end', 250);
    meters.messages.inc();
    meters.bodyBytes.inc(size);
    this.#note(250);
  }

  /** At close: the rest of the session's replies, from the engine's tally by code. */
  closed(replyCounts: ReadonlyMap<number, number>): void {
    const decided = this.#decided;
    for (const [code, count] of replyCounts) {
      let rest = count;
      if (decided !== undefined) {
        for (let i = 0; i < decided.length; i += 2) if (decided[i] === code) rest -= decided[i + 1] as number;
      }
      if (rest > 0) this.#meters.reply('other', code, rest);
    }
  }

  #note(code: number): void {
    const decided = (this.#decided ??= []);
    for (let i = 0; i < decided.length; i += 2) {
      if (decided[i] === code) {
        decided[i + 1] = (decided[i + 1] as number) + 1;
        return;
      }
    }
    decided.push(code, 1);
  }
}
