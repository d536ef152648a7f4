import { isPolicyAction, policyAction, type Decision as EngineDecision, type Reply } from '@sinkhole/smtp-core';
import type { RuleDelivery } from '../scenario/scenario-types.js';

/** What a sinkhole hook answers: a reply, undefined for the phase's default, or an engine action. */
export type Decision = EngineDecision;

/** The reply a decision sends: undefined for the default, null for none (a silent close or a hang). */
export function replyOf(decision: Decision): Reply | null | undefined {
  if (!isPolicyAction(decision)) return decision;
  return decision.close === 'hang' ? null : decision.reply;
}

/** How the ledger names an action's delivery, e.g. `delay 2000ms, close rst`; undefined for a plain reply. */
export function actionOf(decision: Decision): string | undefined {
  if (!isPolicyAction(decision)) return undefined;
  const parts: string[] = [];
  if (decision.delayMs > 0) parts.push(`delay ${decision.delayMs}ms`);
  if (decision.trickleMs > 0) parts.push(`trickle ${decision.trickleMs}ms`);
  if (decision.close !== undefined) parts.push(decision.close === 'hang' ? 'hang' : `close ${decision.close}`);
  return parts.join(', ');
}

/**
 * A rule's reply with its delivery, as the engine takes it: a plain reply when nothing is
 * added. reply null (a rule that closes without giving a reply) sends nothing before the close.
 */
export function toDecision(reply: Reply | null | undefined, delivery: RuleDelivery): Decision {
  const { delayMs, trickleMs, close } = delivery;
  if (delayMs === 0 && trickleMs === 0 && close === undefined && reply !== null) return reply;
  return policyAction({ ...(close === 'hang' ? {} : { reply }), delayMs, trickleMs, ...(close === undefined ? {} : { close }) });
}
