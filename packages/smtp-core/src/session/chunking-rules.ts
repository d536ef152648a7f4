import { reply, type Reply } from '../protocol/replies.js';
import * as R from '../protocol/stock-replies.js';
import type { MutableEnvelope } from './envelope.js';
import type { Step } from './machine-steps.js';

/**
 * What `BDAT size [LAST]` means before its chunk is read (RFC 3030 §2). The chunk's octets
 * follow the command line whatever the answer, so they are always read: as body when
 * `refusal` is undefined, otherwise drained and answered with `refusal` (§3: a failed BDAT
 * still consumes its chunk, so the session stays in step with a pipelining client).
 */
export interface ChunkPlan {
  readonly size: number;
  readonly last: boolean;
  readonly refusal: Reply | undefined;
  /** The refusal is a sequence error, counted against maxProtocolErrors. */
  readonly error: boolean;
  /** The chunk would take the message past maxMessageSize: drained, never held, answered 552. */
  readonly overflow: boolean;
}

export function planChunk(envelope: MutableEnvelope | undefined, size: number, last: boolean, maxMessageSize: number): ChunkPlan {
  const refuse = (refusal: Reply, error: boolean, overflow = false): ChunkPlan => ({ size, last, refusal, error, overflow });
  if (envelope === undefined) return refuse(R.REPLY_BAD_SEQUENCE_NEED_MAIL, true);
  if (envelope.recipients.length === 0) {
    // As for DATA (RFC 2920 §3.1): after every RCPT failed, a pipelined BDAT gets 554, never 250.
    return envelope.refusedRecipients > 0 ? refuse(R.REPLY_NO_VALID_RECIPIENTS, false) : refuse(R.REPLY_BAD_SEQUENCE_NEED_RCPT, true);
  }
  if (envelope.chunkedBytes + size > maxMessageSize) return refuse(R.REPLY_MESSAGE_TOO_BIG, false, true);
  return { size, last, refusal: undefined, error: false, overflow: false };
}

/** The reply to a non-LAST chunk that was taken as body (RFC 3030 §2's example wording). */
export function chunkReceivedReply(size: number): Reply {
  return reply(250, '2.0.0', `${size} octets received`);
}

/** The step that reads the planned chunk (as body, or drained when refused). */
export function chunkStep(plan: ChunkPlan): Step {
  return { kind: 'chunk', size: plan.size, last: plan.last, accept: plan.refusal === undefined, overflow: plan.overflow };
}
