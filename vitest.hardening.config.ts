// The hardening tier (`pnpm test:hardening`): hostile clients, overload, faults, RSS and
// descriptor readings, timing bounds, extra loopback source addresses. Linux with /proc; as root
// it also raises RLIMIT_NOFILE itself and runs a server as nobody. The preflight names whatever
// is missing and fails the run (it never skips).
import { configDefaults, defineConfig, mergeConfig } from 'vitest/config';
import fast, { HARDENING_TESTS } from './vitest.config.js';

export default mergeConfig(
  { ...fast, test: { ...fast.test, include: [], exclude: [...configDefaults.exclude] } },
  defineConfig({
    test: {
      include: [HARDENING_TESTS],
      globalSetup: ['packages/test-kit/src/hardening-preflight.ts'],
      // One file at a time: RSS, descriptor and timing figures must not share the 2 cores.
      fileParallelism: false,
    },
  }),
);
