import { reply, type EnhancedCode, type Reply } from '@sinkhole/smtp-core';

// Built once: the engine caches the encoded bytes of each frozen reply.
export const REPLY_DEFER = reply(421, '4.3.2', 'Service temporarily unavailable');
export const REPLY_BOUNCE = reply(550, '5.1.1', 'User unknown');
export const REPLY_GREYLISTED_421 = reply(421, '4.7.1', 'Greylisted, please try again later');
export const REPLY_GREYLISTED_451 = reply(451, '4.7.1', 'Greylisted, please try again later');

export function greylistReply(code: 421 | 451): Reply {
  return code === 421 ? REPLY_GREYLISTED_421 : REPLY_GREYLISTED_451;
}

/** The operator's `reply:<code> <x.y.z> <text>`; parseMode made the same checks, so this does not throw. */
export function operatorReply(code: number, enhanced: EnhancedCode, text: string): Reply {
  return reply(code, enhanced, text);
}
