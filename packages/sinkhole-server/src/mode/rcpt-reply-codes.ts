/**
 * Reply codes an operator may choose for RCPT TO.
 *
 * RFC 5321 Section 4.3.2 lists, for RCPT, S: 250, 251 and E: 550, 551, 552,
 * 553, 450, 451, 452, 503, 455, 555; it also allows 421, 500 and 501 in reply
 * to any command. A 421 tells the client the channel is closing (Section 3.8).
 */
export const RCPT_REPLY_CODES: ReadonlySet<number> = new Set([
  250, 251, 421, 450, 451, 452, 455, 500, 501, 503, 550, 551, 552, 553, 555,
]);

/** The list as operators read it in error messages. */
export const RCPT_REPLY_CODES_TEXT = [...RCPT_REPLY_CODES].sort((a, b) => a - b).join(', ');
