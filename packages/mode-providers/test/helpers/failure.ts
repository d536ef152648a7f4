import { ModeSourceError, type ModeProvider } from '../../src/index.js';

/** The ModeSourceError a lookup rejects with; throws when it resolves or rejects with anything else. */
export async function failure(provider: ModeProvider): Promise<ModeSourceError> {
  const error: unknown = await provider.lookup().then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof ModeSourceError)) throw new Error(`expected a ModeSourceError, got ${String(error)}`);
  return error;
}
