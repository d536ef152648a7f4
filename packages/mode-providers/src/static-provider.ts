import { isMode } from './format-mode.js';
import type { Mode } from './mode.js';
import { modeFromSourceText } from './mode-from-text.js';
import type { ModeProvider } from './mode-provider.js';
import { ModeSourceError } from './mode-source-error.js';

/**
 * A fixed mode, for tests and library users. A text is parsed on each lookup,
 * so an invalid one fails the way any other source does: the cache serves
 * defer and reports it, rather than the process crashing at start-up.
 */
export function staticModeProvider(mode: Mode | string): ModeProvider {
  const name = 'static';
  if (typeof mode === 'string') {
    return { name, lookup: async () => modeFromSourceText(mode, name) };
  }
  return {
    name,
    lookup: async () => {
      if (isMode(mode)) return mode;
      throw new ModeSourceError('ERR_MODE_SOURCE_INVALID', 'was given an object that is not a Mode', name);
    },
  };
}
