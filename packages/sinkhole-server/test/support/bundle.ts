import { killTracked, SinkholeProcess, type SinkholeOptions } from '@sinkhole/test-kit';
import { inject } from 'vitest';
import type {} from './provided-bundle.js';

/**
 * The sinkhole bundled from the current sources for this run (bundle-setup.ts builds it once,
 * under the OS temp dir with no node_modules above it): the tests drive the same artefact the
 * container runs.
 */
export async function testBundle(): Promise<string> {
  return inject('sinkholeTestBundle');
}

type BundleOptions = Omit<SinkholeOptions, 'args' | 'env' | 'bundle'>;

/** The test bundle started with these flags and environment, once it logged "listening". */
export function startBundle(args: readonly string[], env: Readonly<Record<string, string>> = {}, options: BundleOptions = {}): Promise<SinkholeProcess> {
  return SinkholeProcess.start({ ...options, bundle: testBundle(), args, env });
}

/** The test bundle spawned without waiting (for runs that exit by themselves). */
export function spawnBundle(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<SinkholeProcess> {
  return SinkholeProcess.spawn({ bundle: testBundle(), args, env });
}

/** For afterAll: no child started from the bundle outlives its test file. */
export async function removeTestBundles(): Promise<void> {
  await killTracked();
}
