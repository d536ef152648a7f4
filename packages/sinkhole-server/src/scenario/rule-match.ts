import { cidrContains } from './cidr.js';
import type { NumberRange, Phase, RuleConditions } from './scenario-types.js';

/** What is known when a rule is tried; undefined where the phase cannot know it yet. Texts are lowercased. */
export interface PhaseFacts {
  readonly phase: Phase;
  readonly client: { readonly family: 4 | 6; readonly groups: readonly number[] } | undefined;
  readonly helo: string | undefined;
  readonly from: string | undefined;
  /** The recipient at rcpt; every recipient of the transaction at data and data-end. */
  readonly to: readonly string[] | undefined;
  readonly size: number | undefined;
  /** A header's values by lowercased name (data-end only). */
  readonly header: ((name: string) => readonly string[]) | undefined;
  /** The ledger key's next attempt, asked only by a rule with attempt or since. */
  readonly attempt: () => { readonly attempt: number; readonly sinceFirstMs: number } | undefined;
}

function inRange(range: NumberRange, value: number): boolean {
  return (range.min === undefined || value >= range.min) && (range.max === undefined || value <= range.max);
}

// Loops rather than some() with a closure: every RCPT tries every rule of a document.
function anyCidrContains(cidrs: NonNullable<RuleConditions['clients']>, client: NonNullable<PhaseFacts['client']>): boolean {
  for (const cidr of cidrs) if (cidrContains(cidr, client)) return true;
  return false;
}

function anyMatchesLower(glob: NonNullable<RuleConditions['to']>, texts: readonly string[]): boolean {
  for (const text of texts) if (glob.matchesLower(text)) return true;
  return false;
}

/** True when every condition the rule gives holds; a condition on an unknown fact does not. */
export function ruleMatches(when: RuleConditions, facts: PhaseFacts): boolean {
  if (!when.phases.has(facts.phase)) return false;
  if (when.clients !== undefined && (facts.client === undefined || !anyCidrContains(when.clients, facts.client))) return false;
  if (when.helo !== undefined && (facts.helo === undefined || !when.helo.matchesLower(facts.helo))) return false;
  if (when.from !== undefined && (facts.from === undefined || !when.from.matchesLower(facts.from))) return false;
  if (when.to !== undefined && (facts.to === undefined || !anyMatchesLower(when.to, facts.to))) return false;
  if (when.size !== undefined && (facts.size === undefined || !inRange(when.size, facts.size))) return false;
  if (when.header !== undefined) {
    const { name, value } = when.header;
    const values = facts.header?.(name);
    if (values === undefined || values.length === 0) return false;
    if (value !== undefined && !values.some((v) => value.matches(v))) return false;
  }
  if (when.attempt !== undefined || when.since !== undefined) {
    const upcoming = facts.attempt();
    if (upcoming === undefined) return false;
    if (when.attempt !== undefined && !inRange(when.attempt, upcoming.attempt)) return false;
    if (when.since !== undefined && !inRange(when.since, upcoming.sinceFirstMs)) return false;
  }
  return true;
}
