import { defineConfig } from 'vitest/config';

// `pnpm test:image`: runs after deploy/image/build.sh has built the image. Root only (podman, nsenter, /proc).
const conditions = ['source', 'import', 'node', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['source'] } },
  test: {
    include: ['deploy/image/test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
