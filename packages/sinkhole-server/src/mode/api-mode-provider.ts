import type { ModeProvider } from '@sinkhole/mode-providers';

/** The provider name, and the --mode-source value that selects it. */
export const API_SOURCE_NAME = 'api';

/** A mode source set over HTTP (PUT /mode): it holds the last text put, defer until then. */
export interface ApiModeProvider extends ModeProvider {
  /** The mode text, already checked by the caller (the cache parses it again, as for every source). */
  put(text: string): void;
  /** True once a mode has been put. */
  readonly set: boolean;
}

const API_PROVIDERS = new WeakSet<object>();

export function apiModeProvider(): ApiModeProvider {
  let current = 'defer';
  let set = false;
  const provider: ApiModeProvider = {
    name: API_SOURCE_NAME,
    // Nothing changes unless put() is called, and PUT /mode refreshes the cache itself.
    recommendedTtlMs: Number.MAX_SAFE_INTEGER,
    lookup: () => Promise.resolve(current),
    put(text) {
      current = text;
      set = true;
    },
    get set() {
      return set;
    },
  };
  API_PROVIDERS.add(provider);
  return provider;
}

/** True for a provider made by apiModeProvider(). */
export function isApiModeProvider(provider: ModeProvider | undefined): provider is ApiModeProvider {
  return provider !== undefined && API_PROVIDERS.has(provider);
}
