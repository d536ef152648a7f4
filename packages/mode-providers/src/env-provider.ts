import type { ModeProvider } from './mode-provider.js';
import { ModeSourceError } from './mode-source-error.js';

export const DEFAULT_MODE_VARIABLE = 'SINKHOLE_MODE';

export interface EnvModeProviderOptions {
  /** Default SINKHOLE_MODE. */
  readonly variable?: string;
  /** Default process.env, read on every lookup. */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * The mode from an environment variable, for local use. A process's
 * environment cannot be changed from outside once it runs, so an operator
 * changes this mode by restarting; the cache TTL does not matter here.
 */
export function envModeProvider(options: EnvModeProviderOptions = {}): ModeProvider {
  const variable = options.variable ?? DEFAULT_MODE_VARIABLE;
  const env = options.env ?? process.env;
  const name = `env:${variable}`;
  return {
    name,
    lookup: async () => {
      const value = env[variable];
      if (value === undefined) {
        throw new ModeSourceError('ERR_MODE_SOURCE_UNSET', `${variable} is not set`, name);
      }
      return value;
    },
  };
}
