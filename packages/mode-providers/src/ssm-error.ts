import { ModeSourceError } from './mode-source-error.js';

const CONFIG_ERROR_NAMES: ReadonlySet<string> = new Set([
  'CredentialsProviderError',
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'InvalidKeyId',
]);
const MAX_MESSAGE_LENGTH = 200;

interface SdkErrorShape {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly code?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
}

/** Turns what the SDK threw into a ModeSourceError with a code the cache and operators can act on. */
export function ssmError(error: unknown, source: string, parameterName: string): ModeSourceError {
  if (error instanceof ModeSourceError) return error;
  const shape: SdkErrorShape = typeof error === 'object' && error !== null ? error : {};
  const name = typeof shape.name === 'string' ? shape.name : 'Error';
  const status = shape.$metadata?.httpStatusCode;
  const code = typeof shape.code === 'string' ? shape.code : undefined;
  const detail = `${name}: ${firstLine(shape.message ?? error)}`;
  const make = (kind: ConstructorParameters<typeof ModeSourceError>[0], message: string): ModeSourceError =>
    new ModeSourceError(kind, message, source, { cause: error });

  if (name === 'ParameterNotFound') return make('ERR_MODE_SOURCE_NOT_FOUND', `parameter ${parameterName} does not exist`);
  if (name === 'ThrottlingException' || status === 429) return make('ERR_MODE_SOURCE_THROTTLED', detail);
  if (name === 'TimeoutError' || name === 'AbortError' || code === 'ETIMEDOUT') {
    return make('ERR_MODE_SOURCE_TIMEOUT', detail);
  }
  if (code === 'ERR_MODULE_NOT_FOUND') {
    return make('ERR_MODE_SOURCE_CONFIG', `@aws-sdk/client-ssm is not installed (${detail})`);
  }
  if (CONFIG_ERROR_NAMES.has(name)) return make('ERR_MODE_SOURCE_CONFIG', detail);
  if (/region is missing/i.test(detail)) {
    return make('ERR_MODE_SOURCE_CONFIG', `${detail} (set AWS_REGION; the SDK does not read AWS_DEFAULT_REGION)`);
  }
  if (typeof status === 'number' && status >= 500) return make('ERR_MODE_SOURCE_UNAVAILABLE', `HTTP ${status}: ${detail}`);
  // The SDK reports a body it cannot deserialize as a SyntaxError carrying the HTTP metadata.
  if (name === 'SyntaxError' || /deserialization error/i.test(String(shape.message))) {
    return make('ERR_MODE_SOURCE_UNAVAILABLE', `answered with a body that is not SSM JSON (${detail})`);
  }
  if (code !== undefined && /^E[A-Z]+$/.test(code)) return make('ERR_MODE_SOURCE_UNAVAILABLE', detail);
  return make('ERR_MODE_SOURCE_FAILED', detail);
}

function firstLine(value: unknown): string {
  const text = String(value).split('\n', 1)[0] ?? '';
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH)}...` : text;
}
