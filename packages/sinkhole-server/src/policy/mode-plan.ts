import { formatMode } from '../mode/format-mode.js';
import type { Mode } from '../mode/mode.js';
import type { Reply } from '@sinkhole/smtp-core';
import { hash53 } from '../greylist/greylist-key.js';
import { parseMode } from '../mode/parse-mode.js';
import { readScenarioDocument, rulesByPhase } from '../scenario/read-document.js';
import type { ScenarioDocument } from '../scenario/scenario-types.js';
import { operatorReply, REPLY_BOUNCE, REPLY_DEFER } from './mode-replies.js';

/** Greylist mode is a preset of the scenario machinery: one rule, answered by the greylister. */
export const GREYLIST_PRESET_TEXT = '{"otherwise":"accept","rules":[{"on":"rcpt","greylist":true}]}';
const GREYLIST_PRESET = presetDocument(GREYLIST_PRESET_TEXT);

function presetDocument(text: string): ScenarioDocument {
  const reading = readScenarioDocument(text, () => undefined);
  if (!reading.ok) throw new Error(`bad preset: ${reading.problem}`);
  return reading.document;
}

/** What a mode does, computed once per mode and shared by every connection in it. */
export interface ModePlan {
  readonly mode: Mode;
  /** The mode's canonical text, as logged. */
  readonly text: string;
  /** The RCPT TO answer when no rule decides: a reply, or undefined for 250 2.1.5. */
  readonly rcpt: Reply | undefined;
  /** accept-log: keep and log the header block. */
  readonly logHeaders: boolean;
  /** The rules, tried in order before the answers above (greylist and JSON documents). */
  readonly scenario: ScenarioDocument | undefined;
}

/** How a mode is named in the per-connection log lines: a document by its name or a hash, not in full. */
export function modeLabel(mode: Mode): string {
  if (mode.kind !== 'scenario') return formatMode(mode);
  return `scenario:${mode.document.name ?? hash53(mode.text)}`;
}

export function planFor(mode: Mode): ModePlan {
  const text = modeLabel(mode);
  const plan = (rcpt: Reply | undefined, logHeaders = false, scenario: ScenarioDocument | undefined = undefined): ModePlan =>
    Object.freeze({ mode, text, rcpt, logHeaders, scenario });
  switch (mode.kind) {
    case 'defer':
      return plan(REPLY_DEFER);
    case 'bounce':
      return plan(REPLY_BOUNCE);
    case 'accept':
      return plan(undefined);
    case 'accept-log':
      return plan(undefined, true);
    case 'greylist':
      return plan(undefined, false, GREYLIST_PRESET);
    case 'reply':
      return plan(operatorReply(mode.code, mode.enhanced, mode.text));
    case 'scenario': {
      const otherwise = parseMode(mode.document.otherwise);
      // The document was checked with the same grammar; defer is only a belt for the braces.
      const base = otherwise.ok && otherwise.mode.kind !== 'scenario' ? planFor(otherwise.mode) : planFor({ kind: 'defer' });
      return plan(base.rcpt, base.logHeaders, base.scenario === undefined ? mode.document : withFallbackRules(mode.document, base.scenario));
    }
  }
}

/** A document whose fallback is greylist: its own rules first, then the greylist preset's. */
function withFallbackRules(document: ScenarioDocument, fallback: ScenarioDocument): ScenarioDocument {
  const offset = document.rules.length;
  const rules = [...document.rules, ...fallback.rules.map((rule) => ({ ...rule, index: offset + rule.index }))];
  return { ...document, rules, byPhase: rulesByPhase(rules) };
}

const MAX_CACHED_PLANS = 64;

/** Plans by mode: the same Mode object (the cache hands out one per value) is a single lookup. */
export class ModePlans {
  readonly #byText = new Map<string, ModePlan>();
  #lastMode: Mode | undefined;
  #lastPlan: ModePlan | undefined;

  get(mode: Mode): ModePlan {
    if (mode === this.#lastMode && this.#lastPlan !== undefined) return this.#lastPlan;
    const text = formatMode(mode);
    let plan = this.#byText.get(text);
    if (plan === undefined) {
      if (this.#byText.size >= MAX_CACHED_PLANS) this.#byText.clear();
      plan = planFor(mode);
      this.#byText.set(text, plan);
    }
    this.#lastMode = mode;
    this.#lastPlan = plan;
    return plan;
  }
}
