import { LEDGER_KEY_KINDS, type LedgerKeyKind } from '../ledger/ledger-key.js';
import { DOCUMENT_LIMITS } from './document-limits.js';
import { DocumentError, describe, objectAt, stringAt } from './document-error.js';
import { readRule } from './read-rule.js';
import type { Phase, ScenarioDocument, ScenarioRule } from './scenario-types.js';

export type DocumentReading =
  | { readonly ok: true; readonly document: ScenarioDocument; readonly canonical: string }
  | { readonly ok: false; readonly path: string; readonly problem: string };

/** The modes a document may fall back to: the one-word ones and reply:..., never another document. */
export type OtherwiseCheck = (text: string) => string | undefined;

/**
 * Reads a JSON scenario document. Never throws: a refusal names the path into the document
 * (`rules[3].delay`) and what is wrong there. `checkOtherwise` validates the fallback mode
 * with the mode grammar (passed in, so this file does not import the grammar that imports it).
 */
export function readScenarioDocument(text: string, checkOtherwise: OtherwiseCheck): DocumentReading {
  const input = text.trim();
  if (input.length > DOCUMENT_LIMITS.maxDocumentLength) {
    return { ok: false, path: '$', problem: `the document is ${input.length} characters long, more than ${DOCUMENT_LIMITS.maxDocumentLength}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(input);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, path: '$', problem: `not JSON: ${detail.slice(0, 120)}` };
  }
  try {
    const document = toDocument(json, checkOtherwise);
    return { ok: true, document, canonical: JSON.stringify(json) };
  } catch (error) {
    if (error instanceof DocumentError) return { ok: false, path: error.path, problem: error.problem };
    throw error;
  }
}

function toDocument(json: unknown, checkOtherwise: OtherwiseCheck): ScenarioDocument {
  const o = objectAt('$', json, ['name', 'countBy', 'otherwise', 'rules']);
  const name = o['name'] === undefined ? undefined : stringAt('name', o['name'], DOCUMENT_LIMITS.maxNameLength);
  if (name !== undefined && !/^[\x21-\x7e]+$/.test(name)) throw new DocumentError('name', 'printable ASCII without spaces');
  let countBy: LedgerKeyKind = 'recipient';
  if (o['countBy'] !== undefined) {
    if (typeof o['countBy'] !== 'string' || !(LEDGER_KEY_KINDS as readonly string[]).includes(o['countBy'])) {
      throw new DocumentError('countBy', `expected one of ${LEDGER_KEY_KINDS.join(', ')}, got ${describe(o['countBy'])}`);
    }
    countBy = o['countBy'] as LedgerKeyKind;
  }
  let otherwise = 'defer';
  if (o['otherwise'] !== undefined) {
    otherwise = stringAt('otherwise', o['otherwise'], 600);
    const problem = checkOtherwise(otherwise);
    if (problem !== undefined) throw new DocumentError('otherwise', problem);
  }
  const rulesValue = o['rules'];
  if (!Array.isArray(rulesValue)) throw new DocumentError('rules', `expected an array of rules, got ${describe(rulesValue)}`);
  if (rulesValue.length > DOCUMENT_LIMITS.maxRules) throw new DocumentError('rules', `${rulesValue.length} rules, more than ${DOCUMENT_LIMITS.maxRules}`);
  const rules = rulesValue.map((rule, i) => readRule(`rules[${i}]`, rule, i));
  return { name, countBy, otherwise, rules, byPhase: rulesByPhase(rules), needsHeaders: countBy === 'message-id' || rules.some((r) => r.when.header !== undefined) };
}

export function rulesByPhase(rules: readonly ScenarioRule[]): ReadonlyMap<Phase, readonly ScenarioRule[]> {
  const byPhase = new Map<Phase, ScenarioRule[]>();
  for (const rule of rules) for (const phase of rule.when.phases) byPhase.set(phase, [...(byPhase.get(phase) ?? []), rule]);
  return byPhase;
}
