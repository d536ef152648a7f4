// Loaded by every vitest config (setupFiles): after each test file, no child process it started
// through the kit (or registered with track()) is left running.
import { afterAll } from 'vitest';
import { killTracked } from './child-registry.js';

afterAll(killTracked);
