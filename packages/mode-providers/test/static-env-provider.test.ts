import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MODE_VARIABLE,
  ModeSourceError,
  envModeProvider,
  staticModeProvider,
  type Mode,
  type ModeProvider,
} from '../src/index.js';

async function failure(provider: ModeProvider): Promise<ModeSourceError> {
  const error: unknown = await provider.lookup().then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof ModeSourceError)) throw new Error(`expected a ModeSourceError, got ${String(error)}`);
  return error;
}

describe('staticModeProvider', () => {
  it('serves a Mode or a mode text', async () => {
    await expect(staticModeProvider({ kind: 'bounce' }).lookup()).resolves.toEqual({ kind: 'bounce' });
    await expect(staticModeProvider(' Reply:452 4.2.2 Full\n').lookup()).resolves.toEqual({
      kind: 'reply',
      code: 452,
      enhanced: '4.2.2',
      text: 'Full',
    });
    expect(staticModeProvider('accept').name).toBe('static');
  });

  it('fails each lookup, instead of throwing at construction, on an invalid text or object', async () => {
    const fromText = await failure(staticModeProvider('acept'));
    expect(fromText.code).toBe('ERR_MODE_SOURCE_INVALID');
    expect(fromText.parseError?.code).toBe('ERR_MODE_UNKNOWN');
    expect(fromText.message).toMatch(/^static: unknown mode "acept"/);
    expect((await failure(staticModeProvider({ kind: 'nope' } as unknown as Mode))).code).toBe(
      'ERR_MODE_SOURCE_INVALID',
    );
    expect((await failure(staticModeProvider('  '))).code).toBe('ERR_MODE_SOURCE_EMPTY');
  });
});

describe('envModeProvider', () => {
  it(`reads ${DEFAULT_MODE_VARIABLE} by default, on every lookup`, async () => {
    const env: NodeJS.ProcessEnv = { SINKHOLE_MODE: 'accept' };
    const provider = envModeProvider({ env });
    expect(provider.name).toBe('env:SINKHOLE_MODE');
    await expect(provider.lookup()).resolves.toEqual({ kind: 'accept' });
    env['SINKHOLE_MODE'] = 'greylist\n';
    await expect(provider.lookup()).resolves.toEqual({ kind: 'greylist' });
  });

  it('reads process.env when no env is given', async () => {
    const variable = 'MODE_PROVIDERS_TEST_VARIABLE';
    process.env[variable] = 'bounce';
    try {
      await expect(envModeProvider({ variable }).lookup()).resolves.toEqual({ kind: 'bounce' });
    } finally {
      delete process.env[variable];
    }
  });

  it('reads another variable when told to', async () => {
    const provider = envModeProvider({ variable: 'MY_MODE', env: { MY_MODE: 'defer', SINKHOLE_MODE: 'accept' } });
    expect(provider.name).toBe('env:MY_MODE');
    await expect(provider.lookup()).resolves.toEqual({ kind: 'defer' });
  });

  it.each([
    [{}, 'ERR_MODE_SOURCE_UNSET'],
    [{ SINKHOLE_MODE: '' }, 'ERR_MODE_SOURCE_EMPTY'],
    [{ SINKHOLE_MODE: ' \n' }, 'ERR_MODE_SOURCE_EMPTY'],
    [{ SINKHOLE_MODE: 'accept please' }, 'ERR_MODE_SOURCE_INVALID'],
  ] as const)('%j fails with %s', async (env, code) => {
    const error = await failure(envModeProvider({ env }));
    expect(error.code).toBe(code);
    expect(error.source).toBe('env:SINKHOLE_MODE');
  });
});
