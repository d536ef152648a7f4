import type { ValueResult } from './values.js';

export type FlagGroup = 'listener' | 'protocol' | 'mode' | 'greylist' | 'scenarios' | 'limits' | 'logging' | 'http' | 'lifecycle' | 'check';

/** One command-line flag and its SINKHOLE_* environment equivalent; the single source for parsing, --help and the README. */
export interface FlagSpec<T> {
  /** Long name without dashes, e.g. `max-connections`. */
  readonly name: string;
  readonly env: string | undefined;
  /** Placeholder in help, e.g. `DURATION`; undefined for boolean flags. */
  readonly value: string | undefined;
  readonly group: FlagGroup;
  /** The default as shown to people. */
  readonly defaultText: string;
  readonly help: string;
  /** Checks and converts a value; the problem says what is accepted. */
  readonly parse: (text: string) => ValueResult<T>;
}

export function flag<T>(spec: FlagSpec<T>): FlagSpec<T> {
  return spec;
}

/** A flag that takes no value (`--help`). */
export function booleanFlag(name: string, group: FlagGroup, help: string): FlagSpec<boolean> {
  return { name, env: undefined, value: undefined, group, defaultText: '', help, parse: () => ({ ok: true, value: true }) };
}

/** A value from a fixed list, compared case-insensitively. */
export function oneOf<const T extends string>(choices: readonly T[]): (text: string) => ValueResult<T> {
  return (text) => {
    const value = text.trim().toLowerCase();
    const match = choices.find((choice) => choice === value);
    return match === undefined ? { ok: false, problem: `expected one of ${choices.join(', ')}` } : { ok: true, value: match };
  };
}

/** Wraps a parser with an inclusive range check. */
export function inRange(parse: (text: string) => ValueResult<number>, min: number, max: number, unit = ''): (text: string) => ValueResult<number> {
  return (text) => {
    const result = parse(text);
    if (!result.ok) return result;
    if (result.value < min || result.value > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}${unit}` : `between ${min}${unit} and ${max}${unit}`;
      return { ok: false, problem: `must be ${range}` };
    }
    return result;
  };
}
