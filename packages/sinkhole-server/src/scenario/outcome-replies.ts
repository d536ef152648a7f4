import { reply, type Reply } from '@sinkhole/smtp-core';

/** The words of a script, and what each answers. */
export const OUTCOME_WORDS = {
  accept: reply(250, '2.1.5', 'OK'),
  defer: reply(421, '4.3.2', 'Service temporarily unavailable'),
  bounce: reply(550, '5.1.1', 'User unknown'),
  grey: reply(421, '4.7.1', 'Greylisted, please try again later'),
} as const;

export type OutcomeWord = keyof typeof OUTCOME_WORDS;

/** The codes a script may name, each with its stock enhanced code and text (issue 11's table). */
export const STOCK_CODE_REPLIES: ReadonlyMap<number, Reply> = new Map([
  [250, OUTCOME_WORDS.accept],
  [421, OUTCOME_WORDS.defer],
  [450, reply(450, '4.2.1', 'Mailbox temporarily unavailable')],
  [451, reply(451, '4.3.0', 'Local error in processing, try again later')],
  [452, reply(452, '4.2.2', 'Mailbox full')],
  [550, OUTCOME_WORDS.bounce],
  [551, reply(551, '5.1.6', 'User not local')],
  [552, reply(552, '5.2.2', 'Mailbox full')],
  [553, reply(553, '5.1.3', 'Mailbox name not allowed')],
  [554, reply(554, '5.7.1', 'Rejected')],
]);

export function isOutcomeWord(text: string): text is OutcomeWord {
  return Object.hasOwn(OUTCOME_WORDS, text);
}
