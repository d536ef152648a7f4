import type { Reply } from '@sinkhole/smtp-core';
import type { RuleDelivery } from '../scenario/scenario-types.js';

/** What a sinkhole hook answers: a reply, or undefined for the phase's default. */
export type Decision = Reply | undefined;

/** The reply a decision sends, or undefined for the default. */
export function replyOf(decision: Decision): Reply | undefined {
  return decision;
}

/** A rule's reply as the engine takes it, with its delivery (delay, trickle, close, hang). */
export function toDecision(reply: Reply | undefined, _delivery: RuleDelivery): Decision {
  return reply;
}
