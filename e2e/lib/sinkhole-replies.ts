// The replies the sinkhole contract promises per mode (what the tests expect clients to report).
export const DEFER_REPLY = '421 4.3.2 Service temporarily unavailable';
export const BOUNCE_REPLY = '550 5.1.1 User unknown';
/** Greylisting's first attempt: 421 4.7.1 followed by server-chosen text. */
export const GREYLIST_REPLY_PREFIX = '421 4.7.1';
export const CUSTOM_REPLY = '452 4.2.2 Mailbox full';

/** Flags for greylisting tests: the second attempt passes at once. */
export const GREYLIST_ARGS: readonly string[] = [
  '--greylist-window', '30m',
  '--greylist-min-delay', '0s',
  '--greylist-code', '421',
  '--greylist-key', 'ip',
];
