import type { CloseReason, EventSink } from '../events.js';
import type { Decision, ReceivedMessage, SessionPolicy } from '../policy.js';
import { actionProblem, isCheckedAction, isPolicyAction } from '../policy-action.js';
import { isCheckedReply, replyProblem, reply, type Reply } from '../protocol/replies.js';
import { REPLY_HOOK_FAILED } from '../protocol/stock-replies.js';
import type { SessionInfo } from '../session-info.js';
import type { HookCall, HookName } from './session-machine.js';

export const REPLY_GREETING_FAILED = reply(421, '4.3.0', 'Temporary local problem, closing connection');

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** Which reply classes a hook may answer with (RFC 5321 §4.3.2). */
export function decisionProblem(hook: HookName, r: Reply): string | undefined {
  const first = Math.floor(r.code / 100);
  if (hook === 'data-start') return r.code === 354 || first >= 4 ? undefined : `DATA start must answer 354, 4xx or 5xx, not ${r.code}`;
  if (first === 3) return `${hook} must not answer with a 3xx reply (${r.code})`;
  if (hook === 'connect' && first === 2 && r.code !== 220) return `the greeting must be 220, not ${r.code}`;
  if (hook === 'starttls' && first === 2 && r.code !== 220) return `STARTTLS must answer 220, 4xx or 5xx, not ${r.code}`;
  if (hook === 'auth' && first === 2 && r.code !== 235) return `AUTH must answer 235, 4xx or 5xx, not ${r.code}`;
  return undefined;
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
    case 'data-end-rcpt':
      return policy.onDataEndForRecipient?.(message as ReceivedMessage, call.recipient, call.envelope, session);
    case 'starttls':
      return policy.onStartTls?.(session);
    case 'auth':
      return policy.onAuth?.(call.credentials, session);
  }
}

/**
 * Asks the policy: its checked decision, or the promise it returned (check the value with
 * {@link checkedDecision} when it settles). A hook that throws or answers something that is
 * not a usable reply is reported as a hook-error and answered with {@link failureReply}.
 */
export function askPolicy(
  policy: SessionPolicy,
  call: HookCall,
  session: SessionInfo,
  message: ReceivedMessage | undefined,
  emit: EventSink | undefined,
): Decision | PromiseLike<unknown> {
  let result: unknown;
  try {
    result = invokeHook(policy, call, session, message);
  } catch (error) {
    emit?.({ type: 'hook-error', session, hook: call.hook, error });
    return failureReply(call.hook);
  }
  if (result === undefined || result === null) return undefined;
  return isThenable(result) ? result : checkedDecision(call.hook, result, session, emit);
}

/** A hook's value as a decision; an unusable one is reported and answered with {@link failureReply}. */
export function checkedDecision(hook: HookName, value: unknown, session: SessionInfo, emit: EventSink | undefined): Decision {
  if (value === undefined || value === null) return undefined;
  const problem = isPolicyAction(value) ? actionCheck(hook, value) : (isCheckedReply(value) ? undefined : replyProblem(value)) ?? decisionProblem(hook, value as Reply);
  if (problem === undefined) return value as Decision;
  emit?.({ type: 'hook-error', session, hook, error: new TypeError(`invalid reply from the ${hook} hook: ${problem}`) });
  return failureReply(hook);
}

function actionCheck(hook: HookName, action: Parameters<typeof actionProblem>[0]): string | undefined {
  const problem = isCheckedAction(action) ? undefined : actionProblem(action);
  if (problem !== undefined) return problem;
  const { reply } = action;
  return reply === null || reply === undefined ? undefined : decisionProblem(hook, reply);
}

/** What a failed hook is answered with: the greeting closes, anything else can be retried. */
export function failureReply(hook: HookName): Reply {
  return hook === 'connect' ? REPLY_GREETING_FAILED : REPLY_HOOK_FAILED;
}

/** Tells the policy the connection is gone (onClose); a throw is reported, never raised. */
export function notifyClose(policy: unknown, session: SessionInfo, reason: CloseReason, emit: EventSink | undefined): void {
  if (typeof policy !== 'object' || policy === null) return;
  try {
    (policy as SessionPolicy).onClose?.(session, reason);
  } catch (error) {
    emit?.({ type: 'hook-error', session, hook: 'close', error });
  }
}
