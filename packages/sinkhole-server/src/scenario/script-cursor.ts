import type { Reply } from '@sinkhole/smtp-core';
import { durationMs, type AddressScript } from './address-script.js';

/** Where a key is in its script: the step, and the attempts that step has answered. */
export interface ScriptCursor {
  readonly step: number;
  readonly used: number;
}

export const SCRIPT_START: ScriptCursor = Object.freeze({ step: 0, used: 0 });

/**
 * The reply to the next attempt, and the cursor after it. Steps run in order: `xN` answers
 * N attempts, `forD` answers every attempt until D has passed since the first attempt, a
 * plain step answers one; the last step repeats forever.
 */
export function nextScriptReply(
  script: AddressScript,
  cursor: ScriptCursor,
  sinceFirstMs: number,
): { readonly reply: Reply; readonly cursor: ScriptCursor } {
  let { step, used } = cursor;
  const last = script.length - 1;
  while (step < last) {
    const { limit } = script[step] as AddressScript[number];
    const spent =
      limit.kind === 'count' ? used >= limit.count : limit.kind === 'for' ? sinceFirstMs >= durationMs(limit) : used >= 1;
    if (!spent) break;
    step++;
    used = 0;
  }
  return { reply: (script[step] as AddressScript[number]).reply, cursor: { step, used: used + 1 } };
}
