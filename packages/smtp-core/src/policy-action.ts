import { SmtpCoreError } from './errors.js';
import { isCheckedReply, replyProblem, type Reply } from './protocol/replies.js';

/** How a connection ends after an action's reply (or instead of one). */
export type ActionClose = 'fin' | 'rst' | 'hang';

/**
 * A hook's answer with a fault attached, for test fixtures that must make a client see
 * slow, stuck or broken servers. Build one with {@link policyAction}.
 *
 * - `reply`: what is sent; undefined for the phase's default reply; null for none (with `close`).
 * - `delayMs`: wait this long before replying (input is not read meanwhile, and the idle
 *   timeout does not run: the session is busy, as while a hook is pending).
 * - `trickleMs`: send the reply one byte at a time, pausing this long between bytes.
 * - `close`: after the reply, `fin` half-closes at once (no QUIT awaited: accept-then-drop
 *   at data-end), `rst` resets the connection (socket.resetAndDestroy(): unsent bytes are
 *   lost); `hang` sends nothing ever, so only the idle timeout or the client ends it.
 *
 * The phases a decision applies to are the hooks' (connect, helo, mail, rcpt, data-start,
 * data-end); an action is valid wherever a reply is.
 */
export interface PolicyAction {
  readonly kind: 'action';
  readonly reply: Reply | null | undefined;
  readonly delayMs: number;
  readonly trickleMs: number;
  readonly close: ActionClose | undefined;
}

/** Longest delay or trickle pause an action may ask for: the longest a Node timer waits. */
export const MAX_ACTION_DELAY_MS = 2_147_483_647;

/** Why a value is not a usable action, or undefined. */
export function actionProblem(value: PolicyAction): string | undefined {
  const { reply, delayMs, trickleMs, close } = value;
  for (const [name, ms] of [['delayMs', delayMs], ['trickleMs', trickleMs]] as const) {
    if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0 || ms > MAX_ACTION_DELAY_MS) return `${name} must be an integer from 0 to ${MAX_ACTION_DELAY_MS}`;
  }
  if (close !== undefined && close !== 'fin' && close !== 'rst' && close !== 'hang') return 'close must be fin, rst or hang';
  if (reply === null && close === undefined) return 'an action without a reply must close: fin, rst or hang';
  if (close === 'hang' && (reply !== undefined || trickleMs > 0)) return 'a hang sends nothing: no reply or trickle with it';
  if (reply !== null && reply !== undefined && !isCheckedReply(reply)) return replyProblem(reply);
  return undefined;
}

const ACTIONS = new WeakSet<PolicyAction>();

/** Builds a checked, frozen action; throws SmtpCoreError ERR_SMTP_INVALID_REPLY when it cannot work. */
export function policyAction(options: {
  readonly reply?: Reply | null | undefined;
  readonly delayMs?: number | undefined;
  readonly trickleMs?: number | undefined;
  readonly close?: ActionClose | undefined;
}): PolicyAction {
  const action: PolicyAction = {
    kind: 'action',
    reply: options.reply,
    delayMs: options.delayMs ?? 0,
    trickleMs: options.trickleMs ?? 0,
    close: options.close,
  };
  const problem = actionProblem(action);
  if (problem !== undefined) throw new SmtpCoreError('ERR_SMTP_INVALID_REPLY', problem);
  ACTIONS.add(Object.freeze(action));
  return action;
}

/** True for a value shaped as an action (checked or not); replies have no `kind`. */
export function isPolicyAction(value: unknown): value is PolicyAction {
  return (value as { kind?: unknown } | undefined)?.kind === 'action';
}

/** True for an action built (and so already checked) by {@link policyAction}. */
export function isCheckedAction(value: PolicyAction): boolean {
  return ACTIONS.has(value);
}
