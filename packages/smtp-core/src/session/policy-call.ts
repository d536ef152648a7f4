import type { ReceivedMessage, SessionPolicy } from '../policy.js';
import { isCheckedReply, replyProblem, reply, type Reply } from '../protocol/replies.js';
import { REPLY_HOOK_FAILED } from '../protocol/stock-replies.js';
import type { SessionInfo } from '../session-info.js';
import { decisionProblem, type HookCall, type HookName } from './session-machine.js';

export const REPLY_GREETING_FAILED = reply(421, '4.3.0', 'Temporary local problem, closing connection');

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** Calls the policy's hook for `call`; returns whatever it returns (and throws what it throws). */
export function invokeHook(policy: SessionPolicy, call: HookCall, session: SessionInfo, message: ReceivedMessage | undefined): unknown {
  switch (call.hook) {
    case 'connect':
      return policy.onConnect?.(session);
    case 'helo':
      return policy.onHelo?.(call.domain, session);
    case 'mail':
      return policy.onMailFrom?.(call.path, call.params, session);
    case 'rcpt':
      return policy.onRcptTo?.(call.path, call.params, session);
    case 'data-start':
      return policy.onDataStart?.(call.envelope, session);
    case 'data-end':
      return policy.onDataEnd?.(message as ReceivedMessage, call.envelope, session);
  }
}

/** A hook's value as a decision, or the reason it is not a usable one. */
export function checkDecision(hook: HookName, value: unknown): { readonly decision: Reply | undefined } | { readonly problem: string } {
  if (value === undefined || value === null) return { decision: undefined };
  const problem = (isCheckedReply(value) ? undefined : replyProblem(value)) ?? decisionProblem(hook, value as Reply);
  return problem === undefined ? { decision: value as Reply } : { problem: `invalid reply from the ${hook} hook: ${problem}` };
}

/** What a failed hook is answered with: the greeting closes, anything else can be retried. */
export function failureReply(hook: HookName): Reply {
  return hook === 'connect' ? REPLY_GREETING_FAILED : REPLY_HOOK_FAILED;
}
