// Where the kit finds the sinkhole when it runs from source (vitest, tsx). Code that is bundled
// elsewhere (benchmarks/dist) passes its own paths instead.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The built sinkhole bundle (`pnpm build`); SINKHOLE_BIN overrides it for local experiments. */
export const SINKHOLE_BUNDLE = process.env['SINKHOLE_BIN'] ?? join(REPO_ROOT, 'packages/sinkhole-server/dist/sinkhole-server.mjs');

export const SINKHOLE_DOCKERFILE = join(REPO_ROOT, 'packages/sinkhole-server/Dockerfile');
