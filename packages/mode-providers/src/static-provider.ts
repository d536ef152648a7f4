import type { ModeProvider } from './mode-provider.js';

/** A fixed mode text, for tests and library users; the cache interprets it like any source's. */
export function staticModeProvider(text: string): ModeProvider {
  return { name: 'static', lookup: async () => text };
}
