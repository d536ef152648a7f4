// Temporary directories of the tier: under TEMP_PARENT, named sinkhole-e2e-<run>-<label>-XXXXXX so
// that leftovers.ts can find what this run left behind; mode 0755 (sendmail delivers DSNs as mail:mail).
import { makeTempDir as makeKitTempDir, removeDir } from '@sinkhole/test-kit';
import { RUN_ID, TEMP_PARENT } from './paths.js';

export function makeTempDir(label: string): Promise<string> {
  return makeKitTempDir(`e2e-${RUN_ID}-${label}`, TEMP_PARENT);
}

export const removeTempDir = removeDir;
