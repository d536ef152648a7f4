// The SSM provider's lookup time bound, checked against the wall clock: out of the fast tier.
import { standInClientConfig, startSsmStandIn, type SsmStandIn } from '@sinkhole/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ssmModeProvider, type SsmModeProviderOptions } from '../../src/index.js';
import { failure } from '../helpers/failure.js';

let standIn: SsmStandIn;
const providers: { destroy(): void }[] = [];

beforeAll(async () => {
  standIn = await startSsmStandIn();
});
afterAll(async () => {
  for (const provider of providers.splice(0)) provider.destroy();
  await standIn.close();
});

function provider(options: SsmModeProviderOptions = {}) {
  const created = ssmModeProvider({ clientConfig: standInClientConfig(standIn.endpoint), ...options });
  providers.push(created);
  return created;
}

describe('ssmModeProvider against the SSM stand-in, timed', () => {
  it('an endpoint that never answers is ERR_MODE_SOURCE_TIMEOUT within timeoutMs, and the request is dropped', async () => {
    standIn.setFault('hang');
    const started = performance.now();
    const error = await failure(provider({ timeoutMs: 300 }));
    const elapsed = performance.now() - started;
    expect(error.code).toBe('ERR_MODE_SOURCE_TIMEOUT');
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(2_000);
    await expect.poll(() => standIn.openRequests, { timeout: 2_000 }).toBe(0);
  });
});
