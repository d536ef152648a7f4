// The tier gate seen from test files: global-setup.ts provides the skip reason ('' = run).
import { describe, inject } from 'vitest';
import type {} from './provided-context.js';

export const skipReason: string = inject('e2eSkipReason');

/** `describe` when the tier can run; `describe.skip` when global-setup decided to skip (never on CI). */
export const describeE2E = skipReason === '' ? describe : describe.skip;
