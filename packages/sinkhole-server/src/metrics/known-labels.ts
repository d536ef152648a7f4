import type { CloseReason } from '@sinkhole/smtp-core';
import type { ModeKind } from '../mode/mode.js';

// Series created at 0 when the process starts, so a counter's first increment is seen as one:
// Prometheus' increase() and rate() cannot count the step from "absent" to 1.

/** Every close reason of the engine (a missing one fails the type check). */
export const CLOSE_REASONS = [
  'quit',
  'peer-closed',
  'reply-421',
  'idle-timeout',
  'shutdown',
  'socket-error',
  'too-many-connections',
  'destroyed',
  'policy-close',
  'policy-reset',
  'tls-failed',
  'tls-timeout',
  'tls-aborted',
] as const satisfies readonly CloseReason[];
type MissingReason = Exclude<CloseReason, (typeof CLOSE_REASONS)[number]>;
const _everyReason: MissingReason extends never ? true : never = true;
void _everyReason;

/** Every mode kind, with the RCPT reply codes it gives (besides the other replies every session has). */
export const MODE_KIND_RCPT_CODES: Readonly<Record<ModeKind, readonly number[]>> = {
  defer: [421],
  bounce: [550],
  accept: [250],
  'accept-log': [250],
  greylist: [421, 451, 250],
  reply: [],
  scenario: [],
};
