import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CachedModeProvider,
  DEFAULT_SSM_PARAMETER,
  ssmModeProvider,
  type SsmModeProviderOptions,
} from '../src/index.js';
import { failure } from './helpers/failure.js';
import {
  STAND_IN_PARAMETER,
  createManualClock,
  standInClientConfig,
  startSsmStandIn,
  type SsmStandIn,
  type SsmStandInRequest,
} from '@sinkhole/test-kit';
import { TEST_MODES } from './helpers/test-modes.js';

let standIn: SsmStandIn;
const requests: SsmStandInRequest[] = [];
const providers: { destroy(): void }[] = [];

beforeAll(async () => {
  standIn = await startSsmStandIn({ onRequest: (request) => requests.push(request) });
});
afterEach(() => {
  standIn.setFault(null);
  standIn.setValue('defer');
  requests.length = 0;
  for (const provider of providers.splice(0)) provider.destroy();
});
afterAll(async () => {
  await standIn.close();
});

function provider(options: SsmModeProviderOptions = {}) {
  const created = ssmModeProvider({ clientConfig: standInClientConfig(standIn.endpoint), ...options });
  providers.push(created);
  return created;
}

describe('ssmModeProvider.prepare', () => {
  it('loads the SDK ahead of the first lookup, without asking the endpoint', async () => {
    const source = provider({ timeoutMs: 1000 });
    await source.prepare?.();
    await source.prepare?.();
    expect(requests).toHaveLength(0);
    standIn.setValue('accept');
    expect(await source.lookup()).toBe('accept');
    expect(requests).toHaveLength(1);
  });
});

describe('ssmModeProvider against the SSM stand-in, through the real @aws-sdk/client-ssm', () => {
  it('reads the parameter with GetParameter', async () => {
    standIn.setValue('accept-log');
    const source = provider();
    expect(source.name).toBe(`ssm:${DEFAULT_SSM_PARAMETER}`);
    await expect(source.lookup()).resolves.toBe('accept-log');
    expect(requests).toEqual([
      { target: 'AmazonSSM.GetParameter', name: STAND_IN_PARAMETER, withDecryption: undefined },
    ]);
  });

  it('reads another parameter when told to', async () => {
    standIn.setValue('reply:550 5.1.1 User unknown', '/other/mode');
    await expect(provider({ parameterName: '/other/mode' }).lookup()).resolves.toBe('reply:550 5.1.1 User unknown');
  });

  it('behind the cache, serves a changed value after the TTL', async () => {
    standIn.setValue('defer');
    const clock = createManualClock();
    const cache = new CachedModeProvider(provider(), TEST_MODES, { clock, scheduler: clock });
    await expect(cache.current()).resolves.toEqual({ kind: 'defer' });
    standIn.setValue('accept');
    clock.advance(29_999);
    expect(cache.current()).toEqual({ kind: 'defer' });
    expect(standIn.requestCount).toBeGreaterThan(0);
    const before = requests.length;
    clock.advance(1);
    await expect(cache.current()).resolves.toEqual({ kind: 'accept' });
    expect(requests.length).toBe(before + 1);
  });

  it('ParameterNotFound is ERR_MODE_SOURCE_NOT_FOUND', async () => {
    const error = await failure(provider({ parameterName: '/cabal/nothing_here' }));
    expect(error.code).toBe('ERR_MODE_SOURCE_NOT_FOUND');
    expect(error.message).toContain('/cabal/nothing_here');
    standIn.setFault('not-found');
    expect((await failure(provider())).code).toBe('ERR_MODE_SOURCE_NOT_FOUND');
  });

  it('throttling is ERR_MODE_SOURCE_THROTTLED, after one request: the SDK does not retry', async () => {
    standIn.setFault('throttle');
    const error = await failure(provider());
    expect(error.code).toBe('ERR_MODE_SOURCE_THROTTLED');
    expect(error.message).toContain('ThrottlingException');
    expect(requests).toHaveLength(1);
  });

  it('HTTP 500 is ERR_MODE_SOURCE_UNAVAILABLE', async () => {
    standIn.setFault('500');
    const error = await failure(provider());
    expect(error.code).toBe('ERR_MODE_SOURCE_UNAVAILABLE');
    expect(error.message).toContain('HTTP 500');
    expect(requests).toHaveLength(1);
  });

  it('a body that is not JSON is ERR_MODE_SOURCE_UNAVAILABLE', async () => {
    standIn.setFault('garbage');
    const error = await failure(provider());
    expect(error.code).toBe('ERR_MODE_SOURCE_UNAVAILABLE');
    expect(error.message).toContain('not SSM JSON');
  });

  it('the cache aborts a hung call at its own bound, so hung requests do not pile up', async () => {
    standIn.setFault('hang');
    const clock = createManualClock();
    const cache = new CachedModeProvider(provider({ timeoutMs: 60_000 }), TEST_MODES, { clock, scheduler: clock, retryBaseMs: 0 });
    const first = cache.current();
    await expect.poll(() => standIn.openRequests, { timeout: 2_000 }).toBe(1);
    clock.advance(2_000);
    await expect(first).resolves.toEqual({ kind: 'defer' });
    expect(cache.lastError?.code).toBe('ERR_MODE_SOURCE_TIMEOUT');
    await expect.poll(() => standIn.openRequests, { timeout: 2_000 }).toBe(0);
  });

  it('behind the cache, an invalid or empty value is ERR_MODE_SOURCE_INVALID (with the parse error) or EMPTY', async () => {
    standIn.setValue('accept everything');
    const cache = new CachedModeProvider(provider(), TEST_MODES, { retryBaseMs: 0, ttlMs: 0 });
    await cache.current();
    expect(cache.lastError).toMatchObject({ code: 'ERR_MODE_SOURCE_INVALID', parseError: { code: 'ERR_TEST_MODE_UNKNOWN' } });
    standIn.setValue('   ');
    await cache.current();
    expect(cache.lastError?.code).toBe('ERR_MODE_SOURCE_EMPTY');
  });

  it('refuses nonsensical options at construction, before loading the SDK', () => {
    expect(() => ssmModeProvider({ parameterName: '' })).toThrow(RangeError);
    expect(() => ssmModeProvider({ timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => ssmModeProvider({ timeoutMs: Number.NaN })).toThrow(/timeoutMs/);
  });

  it('an unreachable endpoint is an error, not a crash', async () => {
    const closed = await startSsmStandIn();
    const endpoint = closed.endpoint;
    await closed.close();
    const source = ssmModeProvider({ clientConfig: standInClientConfig(endpoint) });
    providers.push(source);
    const error = await failure(source);
    expect(error.code).toBe('ERR_MODE_SOURCE_UNAVAILABLE');
    expect(error.message).toContain('ECONNREFUSED');
  });
});

describe('ssmModeProvider with the SDK standard configuration chain', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  it('follows AWS_ENDPOINT_URL_SSM, AWS_REGION and the env credentials with no code change', async () => {
    process.env['AWS_ENDPOINT_URL_SSM'] = standIn.endpoint;
    process.env['AWS_REGION'] = 'eu-west-1';
    process.env['AWS_ACCESS_KEY_ID'] = 'AKIDFROMENV';
    process.env['AWS_SECRET_ACCESS_KEY'] = 'secret-from-env';
    standIn.setValue('greylist');
    const source = ssmModeProvider();
    providers.push(source);
    await expect(source.lookup()).resolves.toBe('greylist');
    expect(requests).toHaveLength(1);
  });

  it('without a region, fails as ERR_MODE_SOURCE_CONFIG and says AWS_DEFAULT_REGION is not read', async () => {
    delete process.env['AWS_REGION'];
    process.env['AWS_DEFAULT_REGION'] = 'eu-west-1';
    process.env['AWS_CONFIG_FILE'] = '/nonexistent/aws-config';
    process.env['AWS_SHARED_CREDENTIALS_FILE'] = '/nonexistent/aws-credentials';
    const source = ssmModeProvider({
      clientConfig: { endpoint: standIn.endpoint, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } },
    });
    providers.push(source);
    const error = await failure(source);
    expect(error.code).toBe('ERR_MODE_SOURCE_CONFIG');
    expect(error.message).toContain('AWS_DEFAULT_REGION');
    expect(requests).toHaveLength(0);
  });
});
