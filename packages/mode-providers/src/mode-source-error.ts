import type { ModeParseFailure } from './mode-interpreter.js';

export type ModeSourceErrorCode =
  /** The env variable is not set. */
  | 'ERR_MODE_SOURCE_UNSET'
  /** The file or the SSM parameter does not exist. */
  | 'ERR_MODE_SOURCE_NOT_FOUND'
  /** The source holds nothing but white space. */
  | 'ERR_MODE_SOURCE_EMPTY'
  /** The file is larger than the provider reads. */
  | 'ERR_MODE_SOURCE_TOO_LARGE'
  /** The source holds a text the interpreter refuses (see parseError), or a value that is not text. */
  | 'ERR_MODE_SOURCE_INVALID'
  /** The lookup took longer than its bound. */
  | 'ERR_MODE_SOURCE_TIMEOUT'
  /** SSM throttled the call. */
  | 'ERR_MODE_SOURCE_THROTTLED'
  /** The source answered with a server error or a body that is not its protocol. */
  | 'ERR_MODE_SOURCE_UNAVAILABLE'
  /** Missing region or credentials, access denied, SDK not installed: needs an operator. */
  | 'ERR_MODE_SOURCE_CONFIG'
  /** Anything else: I/O errors, network errors, a custom provider that threw. */
  | 'ERR_MODE_SOURCE_FAILED';

/** Why a provider could not give a mode. Providers reject with it; the cache never throws it. */
export class ModeSourceError extends Error {
  override readonly name = 'ModeSourceError';
  readonly code: ModeSourceErrorCode;
  /** The provider's name, e.g. "ssm:/cabal/sinkhole_mode". */
  readonly source: string;
  /** Set when code is ERR_MODE_SOURCE_INVALID. */
  readonly parseError: ModeParseFailure | undefined;

  constructor(
    code: ModeSourceErrorCode,
    message: string,
    source: string,
    options: { readonly cause?: unknown; readonly parseError?: ModeParseFailure } = {},
  ) {
    super(`${source}: ${message}`, options.cause === undefined ? {} : { cause: options.cause });
    this.code = code;
    this.source = source;
    this.parseError = options.parseError;
  }
}

/** Wraps whatever a custom provider threw, keeping a ModeSourceError as it is. */
export function toModeSourceError(error: unknown, source: string): ModeSourceError {
  if (error instanceof ModeSourceError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ModeSourceError('ERR_MODE_SOURCE_FAILED', message, source, { cause: error });
}
