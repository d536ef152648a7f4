export type ModeParseErrorCode =
  | 'ERR_MODE_EMPTY'
  | 'ERR_MODE_TOO_LONG'
  | 'ERR_MODE_UNKNOWN'
  | 'ERR_MODE_UNEXPECTED_TEXT'
  | 'ERR_MODE_DOCUMENT'
  | 'ERR_MODE_REPLY_SYNTAX'
  | 'ERR_MODE_REPLY_CODE'
  | 'ERR_MODE_ENHANCED_CODE'
  | 'ERR_MODE_CLASS_MISMATCH'
  | 'ERR_MODE_REPLY_TEXT';

/** Why a mode text was refused. A value, never thrown. */
export interface ModeParseError {
  readonly code: ModeParseErrorCode;
  /** What was wrong, then what is accepted; safe to log (the input is quoted and cut short). */
  readonly message: string;
  /** The text as given, cut to MAX_ERROR_INPUT_LENGTH characters. */
  readonly input: string;
}

/** How much of a refused input an error keeps. */
export const MAX_ERROR_INPUT_LENGTH = 256;

/** How much of a refused input an error message quotes. */
const MAX_QUOTED_LENGTH = 64;

export const ACCEPTED_MODES_TEXT =
  'accepted: defer, bounce, accept, accept-log, greylist, reply:<code> <x.y.z> <text> ' +
  '(for example reply:452 4.2.2 Mailbox full), or a JSON scenario document';

export function modeParseError(
  code: ModeParseErrorCode,
  problem: string,
  input: string,
): ModeParseError {
  return {
    code,
    message: `${problem}; ${ACCEPTED_MODES_TEXT}`,
    input: input.length > MAX_ERROR_INPUT_LENGTH ? input.slice(0, MAX_ERROR_INPUT_LENGTH) : input,
  };
}

/** Quotes untrusted text for a log line: escaped, and cut short. */
export function quote(text: string): string {
  const cut = text.length > MAX_QUOTED_LENGTH ? `${text.slice(0, MAX_QUOTED_LENGTH)}...` : text;
  return JSON.stringify(cut);
}
