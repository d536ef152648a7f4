// The fast, portable tier (`pnpm test`): unit, property and in-process socket tests. It needs no
// root, no /proc, no loopback address but 127.0.0.1 and no wall-clock bounds. Tests that do need
// one of those live under packages/*/test/hardening/ (`pnpm test:hardening`,
// vitest.hardening.config.ts); real clients and sendmail are the e2e tier (e2e/vitest.config.ts).
import { configDefaults, defineConfig } from 'vitest/config';

// Workspace packages export their TypeScript sources under the "source" condition, so tests
// run against src/ without a build step. Vitest runs test files as SSR modules, so the
// condition must be set for both the client and the SSR resolvers.
const conditions = ['source', 'import', 'node', 'default'];

export const HARDENING_TESTS = 'packages/*/test/hardening/**/*.test.ts';

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'benchmarks/test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, HARDENING_TESTS],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // The sinkhole bundle the child-process tests run, built once per run from the sources.
    globalSetup: ['packages/sinkhole-server/test/support/bundle-setup.ts'],
    // After each test file, no child process it started is left running.
    setupFiles: ['packages/test-kit/src/vitest-setup.ts'],
  },
});
