import type { Reply } from '@sinkhole/smtp-core';
import { isOutcomeWord, OUTCOME_WORDS, STOCK_CODE_REPLIES, type OutcomeWord } from './outcome-replies.js';

/**
 * The address-script grammar (issue 11, case-insensitive):
 *   script   = step *( "." step )
 *   step     = outcome [ "x" count / "for" duration ]
 *   outcome  = 3DIGIT / "accept" / "defer" / "bounce" / "grey"
 *   count    = 1*DIGIT
 *   duration = 1*DIGIT ( "s" / "m" / "h" )
 */

export type DurationUnit = 's' | 'm' | 'h';

export type ScriptLimit =
  | { readonly kind: 'once' }
  | { readonly kind: 'count'; readonly count: number }
  | { readonly kind: 'for'; readonly amount: number; readonly unit: DurationUnit };

export interface ScriptStep {
  /** The word as written (lowercased), or undefined for a bare code. */
  readonly word: OutcomeWord | undefined;
  readonly reply: Reply;
  readonly limit: ScriptLimit;
}

export type AddressScript = readonly ScriptStep[];

/** Longest script text; a local part is at most 64 octets (RFC 5321 §4.5.3.1.1). */
export const MAX_SCRIPT_LENGTH = 64;
/** Largest count of a step. */
export const MAX_SCRIPT_COUNT = 1_000_000;
/** Longest duration of a step: 30 days. */
export const MAX_SCRIPT_DURATION_MS = 30 * 24 * 60 * 60_000;

const UNIT_MS: Readonly<Record<DurationUnit, number>> = { s: 1_000, m: 60_000, h: 3_600_000 };

export function durationMs(limit: Extract<ScriptLimit, { kind: 'for' }>): number {
  return limit.amount * UNIT_MS[limit.unit];
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Reads digits from i; returns the value and the end, or undefined when there are none or too many. */
function readNumber(text: string, i: number): { readonly value: number; readonly end: number } | undefined {
  let end = i;
  while (end < text.length && isDigit(text.charCodeAt(end))) end++;
  // Eight digits exceed every bound; more could only lose precision.
  if (end === i || end - i > 8) return undefined;
  return { value: Number(text.slice(i, end)), end };
}

function parseStep(text: string): ScriptStep | undefined {
  let word: OutcomeWord | undefined;
  let reply: Reply | undefined;
  let i: number;
  if (text.length >= 3 && isDigit(text.charCodeAt(0)) && isDigit(text.charCodeAt(1)) && isDigit(text.charCodeAt(2))) {
    reply = STOCK_CODE_REPLIES.get(Number(text.slice(0, 3)));
    i = 3;
  } else {
    const match = /^(accept|defer|bounce|grey)/.exec(text);
    if (match === null) return undefined;
    const found = match[1] as string;
    if (!isOutcomeWord(found)) return undefined;
    word = found;
    reply = OUTCOME_WORDS[found];
    i = found.length;
  }
  if (reply === undefined) return undefined;
  if (i === text.length) return { word, reply, limit: { kind: 'once' } };
  if (text[i] === 'x') {
    const n = readNumber(text, i + 1);
    if (n === undefined || n.end !== text.length || n.value < 1 || n.value > MAX_SCRIPT_COUNT) return undefined;
    return { word, reply, limit: { kind: 'count', count: n.value } };
  }
  if (text.startsWith('for', i)) {
    const n = readNumber(text, i + 3);
    if (n === undefined || n.end !== text.length - 1) return undefined;
    const unit = text[n.end];
    if (unit !== 's' && unit !== 'm' && unit !== 'h') return undefined;
    const limit = { kind: 'for', amount: n.value, unit } as const;
    if (n.value < 1 || durationMs(limit) > MAX_SCRIPT_DURATION_MS) return undefined;
    return { word, reply, limit };
  }
  return undefined;
}

/** Reads a script; undefined when text is not one (then the address is an ordinary one). Never throws. */
export function parseAddressScript(text: string): AddressScript | undefined {
  if (text.length === 0 || text.length > MAX_SCRIPT_LENGTH) return undefined;
  const steps: ScriptStep[] = [];
  for (const part of text.toLowerCase().split('.')) {
    const step = parseStep(part);
    if (step === undefined) return undefined;
    steps.push(step);
  }
  return steps;
}

/** The canonical text of a script: parseAddressScript(formatAddressScript(s)) deep-equals s. */
export function formatAddressScript(script: AddressScript): string {
  return script
    .map((step) => {
      const outcome = step.word ?? String(step.reply.code);
      const { limit } = step;
      if (limit.kind === 'count') return `${outcome}x${limit.count}`;
      if (limit.kind === 'for') return `${outcome}for${limit.amount}${limit.unit}`;
      return outcome;
    })
    .join('.');
}

/** Script texts remembered with what they read as (null: not a script); past it the memory starts again. */
export const MAX_REMEMBERED_SCRIPTS = 256;
const remembered = new Map<string, AddressScript | null>();

/**
 * The script of a recipient: the text after the last `+` of its local part. Quoted local
 * parts are never scripts (their `+` may be anywhere). An MTA retries the same few
 * recipients, so each text is read once (scripts are never changed once read).
 */
export function scriptOfAddress(localPart: string, address: string): AddressScript | undefined {
  const plus = localPart.lastIndexOf('+');
  if (plus === -1 || address.startsWith('"')) return undefined;
  const text = localPart.slice(plus + 1);
  let script = remembered.get(text);
  if (script === undefined) {
    script = parseAddressScript(text) ?? null;
    if (remembered.size >= MAX_REMEMBERED_SCRIPTS) remembered.clear();
    remembered.set(text, script);
  }
  return script ?? undefined;
}
