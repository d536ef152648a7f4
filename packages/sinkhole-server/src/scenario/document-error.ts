/** Why a scenario document was refused: where (a path into the document) and what is wrong. */
export class DocumentError extends Error {
  readonly path: string;
  readonly problem: string;

  constructor(path: string, problem: string) {
    super(`at ${path}: ${problem}`);
    this.path = path;
    this.problem = problem;
  }
}

export type JsonObject = { readonly [key: string]: unknown };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks value is an object with only the known keys; a typo must not pass as "no condition". */
export function objectAt(path: string, value: unknown, known: readonly string[]): JsonObject {
  if (!isObject(value)) throw new DocumentError(path, `expected an object, got ${describe(value)}`);
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) throw new DocumentError(`${path}.${key}`, `unknown field; known: ${known.join(', ')}`);
  }
  return value;
}

export function stringAt(path: string, value: unknown, maxLength: number): string {
  if (typeof value !== 'string') throw new DocumentError(path, `expected a string, got ${describe(value)}`);
  if (value.length === 0) throw new DocumentError(path, 'must not be empty');
  if (value.length > maxLength) throw new DocumentError(path, `is ${value.length} characters long, more than ${maxLength}`);
  return value;
}

export function integerAt(path: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new DocumentError(path, `expected a whole number from ${min} to ${max}, got ${describe(value)}`);
  }
  return value;
}

/** A short, escaped rendering of a refused value for the error line. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}
