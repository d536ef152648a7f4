// Global setup (root and hardening vitest configs): bundles src/main.ts once per run with the
// package's own build.mjs into a fresh directory under the OS temp dir (no node_modules above it),
// so every test file drives the same artefact the container runs, built from the current sources.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildSinkhole } from '../../build.mjs';
import type {} from './provided-bundle.js';

export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'sinkhole-bundle-'));
  await buildSinkhole({ outdir: dir, entries: ['cli'], sourcemap: false });
  project.provide('sinkholeTestBundle', join(dir, 'sinkhole-server.mjs'));
  return () => rm(dir, { recursive: true, force: true });
}
