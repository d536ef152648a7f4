export {
  startSinkhole,
  DEFAULT_CLOSE_GRACE_MS,
  type Sinkhole,
  type StartSinkholeOptions,
  type CloseSinkholeOptions,
} from './sinkhole.js';
export type { SinkholeEvent, SinkholeEventName, SinkholeLogRecord } from './log/sinkhole-events.js';
export { LOG_LEVELS, type LogLevel } from './log/log-level.js';
export type { LineSink } from './log/sinkhole-log.js';
export { toJsonLine } from './log/json-line.js';
export { DEFAULT_GREYLIST, type GreylistOptions, type GreylistKey } from './greylist/greylist-options.js';
export { GreylistTable, type GreylistTableOptions } from './greylist/greylist-table.js';
export { DEFAULT_LEDGER, type LedgerOptions } from './ledger/ledger-options.js';
export { ledgerKey, LEDGER_KEY_KINDS, type LedgerKeyKind } from './ledger/ledger-key.js';
export type { AttemptLedgerReader } from './ledger/ledger-reader.js';
export type { AttemptDetails, AttemptOutcome, AttemptRecord, LedgerEntry } from './ledger/attempt-ledger.js';
export { REPLY_DEFER, REPLY_BOUNCE, REPLY_GREYLISTED_421, REPLY_GREYLISTED_451 } from './policy/mode-replies.js';
export { smtpCheck, type SmtpCheckResult } from './check/smtp-check.js';
export { DEFAULT_MODE, SIMPLE_MODE_KINDS, type Mode, type ModeKind } from './mode/mode.js';
export { MAX_MODE_TEXT_LENGTH, MAX_REPLY_TEXT_LENGTH, parseMode, type ModeParseResult } from './mode/parse-mode.js';
export { ACCEPTED_MODES_TEXT, MAX_ERROR_INPUT_LENGTH, type ModeParseError, type ModeParseErrorCode } from './mode/mode-parse-error.js';
export { formatMode, isMode, sameMode } from './mode/format-mode.js';
export { RCPT_REPLY_CODES } from './mode/rcpt-reply-codes.js';
export { SINKHOLE_MODES } from './mode/sinkhole-modes.js';
export { VERSION } from './version.js';
export { apiModeProvider, type ApiModeProvider } from './mode/api-mode-provider.js';
export type { AcceptedTransaction } from './transactions/accepted-transaction.js';
export { DEFAULT_TRANSACTION_RING, type TransactionRingOptions } from './transactions/transaction-ring.js';
export { DEFAULT_WAIT_FOR_TIMEOUT_MS, type WaitForOptions } from './transactions/wait-for.js';
export { DEFAULT_HTTP_LIMITS, type HttpLimits, type HttpListenOptions } from './http/http-options.js';
