import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MODE_VARIABLE,
  envModeProvider,
  staticModeProvider,
  CachedModeProvider,
} from '../src/index.js';
import { failure } from './helpers/failure.js';
import { TEST_DEFAULT, TEST_MODES } from './helpers/test-modes.js';

describe('staticModeProvider', () => {
  it('serves its text; the cache interprets it, so an invalid one fails like any source', async () => {
    await expect(staticModeProvider(' Reply:452 4.2.2 Full\n').lookup()).resolves.toBe(' Reply:452 4.2.2 Full\n');
    expect(staticModeProvider('accept').name).toBe('static');
    const cache = new CachedModeProvider(staticModeProvider('acept'), TEST_MODES);
    await expect(cache.current()).resolves.toEqual(TEST_DEFAULT);
    expect(cache.lastError).toMatchObject({ code: 'ERR_MODE_SOURCE_INVALID', parseError: { code: 'ERR_TEST_MODE_UNKNOWN' } });
    expect(cache.lastError?.message).toMatch(/^static: unknown mode "acept"/);
  });
});

describe('envModeProvider', () => {
  it(`reads ${DEFAULT_MODE_VARIABLE} by default, on every lookup`, async () => {
    const env: NodeJS.ProcessEnv = { SINKHOLE_MODE: 'accept' };
    const provider = envModeProvider({ env });
    expect(provider.name).toBe('env:SINKHOLE_MODE');
    await expect(provider.lookup()).resolves.toBe('accept');
    env['SINKHOLE_MODE'] = 'greylist\n';
    await expect(provider.lookup()).resolves.toBe('greylist\n');
  });

  it('reads process.env when no env is given', async () => {
    const variable = 'MODE_PROVIDERS_TEST_VARIABLE';
    process.env[variable] = 'bounce';
    try {
      await expect(envModeProvider({ variable }).lookup()).resolves.toBe('bounce');
    } finally {
      delete process.env[variable];
    }
  });

  it('reads another variable when told to', async () => {
    const provider = envModeProvider({ variable: 'MY_MODE', env: { MY_MODE: 'defer', SINKHOLE_MODE: 'accept' } });
    expect(provider.name).toBe('env:MY_MODE');
    await expect(provider.lookup()).resolves.toBe('defer');
  });

  it.each([
    [{}, 'ERR_MODE_SOURCE_UNSET'],
    [{ SINKHOLE_MODE: '' }, 'ERR_MODE_SOURCE_EMPTY'],
    [{ SINKHOLE_MODE: ' \n' }, 'ERR_MODE_SOURCE_EMPTY'],
    [{ SINKHOLE_MODE: 'accept please' }, 'ERR_MODE_SOURCE_INVALID'],
  ] as const)('%j fails with %s behind the cache', async (env, code) => {
    const cache = new CachedModeProvider(envModeProvider({ env }), TEST_MODES);
    await expect(cache.current()).resolves.toEqual(TEST_DEFAULT);
    expect(cache.lastError?.code).toBe(code);
    expect(cache.lastError?.source).toBe('env:SINKHOLE_MODE');
  });

  it('an unset variable is the provider\'s own error', async () => {
    expect((await failure(envModeProvider({ env: {} }))).code).toBe('ERR_MODE_SOURCE_UNSET');
  });
});
