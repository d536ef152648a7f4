import type { Mode } from './mode.js';
import { ModeSourceError } from './mode-source-error.js';
import { parseMode } from './parse-mode.js';

/** Parses what a source holds, or throws the ModeSourceError that says why it is not a mode. */
export function modeFromSourceText(text: string, source: string): Mode {
  if (text.trim().length === 0) {
    throw new ModeSourceError('ERR_MODE_SOURCE_EMPTY', 'holds no mode (empty)', source);
  }
  const parsed = parseMode(text);
  if (parsed.ok) return parsed.mode;
  throw new ModeSourceError('ERR_MODE_SOURCE_INVALID', parsed.error.message, source, {
    parseError: parsed.error,
  });
}
