import type { ModeInterpreter } from '@sinkhole/mode-providers';
import { formatMode } from './format-mode.js';
import { DEFAULT_MODE, type Mode } from './mode.js';
import { parseMode } from './parse-mode.js';

/** The sinkhole's mode grammar, as the mode cache reads every source's text. */
export const SINKHOLE_MODES: ModeInterpreter<Mode> = Object.freeze({
  parse: parseMode,
  format: formatMode,
  fallback: DEFAULT_MODE,
});
