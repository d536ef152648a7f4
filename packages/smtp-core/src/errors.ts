/** Stable codes for misuse of the library (bad options, invalid replies built by code). */
export type SmtpCoreErrorCode =
  | 'ERR_SMTP_INVALID_REPLY'
  | 'ERR_SMTP_INVALID_OPTION'
  | 'ERR_SMTP_SERVER_STATE';

/**
 * Raised for programmer and configuration errors only. Protocol problems caused by a
 * client are never exceptions: they are answered with a reply.
 */
export class SmtpCoreError extends Error {
  override readonly name = 'SmtpCoreError';
  readonly code: SmtpCoreErrorCode;

  constructor(code: SmtpCoreErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
