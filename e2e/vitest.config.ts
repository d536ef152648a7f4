// The end-to-end tier: real clients and a real sendmail against the built sinkhole bundle.
// Run with: npx vitest run --config e2e/vitest.config.ts   (root script: pnpm test:e2e)
// (A config file is the one place a default export is required.)
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// One id for this run, inherited by the workers: temp dirs carry it, and the leftover check after the
// run looks only for this run's processes and directories (other checkouts may run the tier too).
process.env['E2E_RUN_ID'] ??= `${process.pid}`;

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    // After each file, no child process it started through the test kit is left running.
    setupFiles: ['packages/test-kit/src/vitest-setup.ts'],
    // One file at a time: the MTA scenarios count sinkhole log lines and spawn namespaces.
    fileParallelism: false,
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 90_000,
    teardownTimeout: 30_000,
    // Per-test outcome and duration on the console, and as JSON for CI artifacts (.e2e-tmp/ is git-ignored).
    reporters: ['verbose', 'json'],
    outputFile: { json: '.e2e-tmp/e2e-report.json' },
  },
});
