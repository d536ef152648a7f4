import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { FlagSpec } from './flag-spec.js';
import { UsageError } from './usage-error.js';

type ParsedValues = Readonly<Record<string, string | boolean | undefined>>;

/** Reads flags from argv, falling back to their SINKHOLE_* variables; bad values throw UsageError. */
export class FlagReader {
  readonly #values: ParsedValues;
  readonly #env: NodeJS.ProcessEnv;

  constructor(values: ParsedValues, env: NodeJS.ProcessEnv) {
    this.#values = values;
    this.#env = env;
  }

  /** Where a value comes from: the command line, the environment (non-empty), or nowhere. */
  origin(spec: FlagSpec<unknown>): 'flag' | 'env' | undefined {
    if (this.#values[spec.name] !== undefined) return 'flag';
    const fromEnv = spec.env === undefined ? undefined : this.#env[spec.env];
    return fromEnv !== undefined && fromEnv !== '' ? 'env' : undefined;
  }

  get<T>(spec: FlagSpec<T>): T | undefined {
    const origin = this.origin(spec);
    if (origin === undefined) return undefined;
    const raw = origin === 'flag' ? this.#values[spec.name] : spec.env === undefined ? undefined : this.#env[spec.env];
    const text = typeof raw === 'string' ? raw : '';
    const result = spec.parse(text);
    if (result.ok) return result.value;
    const where = origin === 'flag' ? `--${spec.name}` : (spec.env ?? spec.name);
    throw new UsageError(`${where}: ${result.problem}; got ${JSON.stringify(text)}`);
  }

  boolean(spec: FlagSpec<boolean>): boolean {
    return this.#values[spec.name] === true;
  }
}

/** node:util parseArgs over a flag table, with its errors turned into UsageErrors. */
export function readArgs(
  argv: readonly string[],
  flags: Readonly<Record<string, FlagSpec<unknown>>>,
  env: NodeJS.ProcessEnv,
): { readonly reader: FlagReader; readonly positionals: readonly string[] } {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const spec of Object.values(flags)) {
    options[spec.name] = spec.value === undefined ? { type: 'boolean' } : { type: 'string' };
  }
  if (options['help'] !== undefined) options['help'] = { type: 'boolean', short: 'h' };
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    return { reader: new FlagReader(values as ParsedValues, env), positionals };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(message.replace(/\. To specify a positional argument.*$/s, ''));
  }
}
