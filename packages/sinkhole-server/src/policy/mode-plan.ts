import { formatMode } from '../mode/format-mode.js';
import type { Mode } from '../mode/mode.js';
import type { Reply } from '@sinkhole/smtp-core';
import { operatorReply, REPLY_BOUNCE, REPLY_DEFER } from './mode-replies.js';

/** RCPT TO in greylist mode is decided per attempt. */
export const GREYLIST = Symbol('greylist');

/** What a mode does, computed once per mode and shared by every connection in it. */
export interface ModePlan {
  readonly mode: Mode;
  /** The mode's canonical text, as logged. */
  readonly text: string;
  /** The RCPT TO answer: a reply, undefined for 250 2.1.5, or GREYLIST. */
  readonly rcpt: Reply | undefined | typeof GREYLIST;
  /** accept-log: keep and log the header block. */
  readonly logHeaders: boolean;
}

export function planFor(mode: Mode): ModePlan {
  const text = formatMode(mode);
  const plan = (rcpt: ModePlan['rcpt'], logHeaders = false): ModePlan => Object.freeze({ mode, text, rcpt, logHeaders });
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
      return plan(GREYLIST);
    case 'reply':
      return plan(operatorReply(mode.code, mode.enhanced, mode.text));
  }
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
