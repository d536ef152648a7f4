export type { ModeInterpreter, ModeParseFailure, ModeReading } from './mode-interpreter.js';
export type { ModeProvider } from './mode-provider.js';
export { ModeSourceError, type ModeSourceErrorCode } from './mode-source-error.js';
export { staticModeProvider } from './static-provider.js';
export { DEFAULT_MODE_VARIABLE, envModeProvider, type EnvModeProviderOptions } from './env-provider.js';
export {
  FILE_RECOMMENDED_TTL_MS,
  MAX_MODE_FILE_BYTES,
  fileModeProvider,
  type FileModeProviderOptions,
} from './file-provider.js';
export {
  DEFAULT_SSM_PARAMETER,
  DEFAULT_SSM_TIMEOUT_MS,
  ssmModeProvider,
  type SsmModeProvider,
  type SsmModeProviderOptions,
} from './ssm-provider.js';
export { SYSTEM_CLOCK, SYSTEM_SCHEDULER, type Clock, type Scheduler } from './clock.js';
export type { ModeProviderEvent } from './events.js';
export {
  CachedModeProvider,
  DEFAULT_LOOKUP_TIMEOUT_MS,
  DEFAULT_RETRY_BASE_MS,
  DEFAULT_TTL_MS,
  type CachedModeProviderOptions,
} from './cached-provider.js';
