import type { GetParameterCommand, SSMClient, SSMClientConfig } from '@aws-sdk/client-ssm';
import { abortable } from './abortable.js';
import type { ModeProvider } from './mode-provider.js';
import { ModeSourceError } from './mode-source-error.js';
import { ssmError } from './ssm-error.js';

export const DEFAULT_SSM_PARAMETER = '/cabal/sinkhole_mode';

/**
 * Bound on one whole GetParameter call (credentials, connect, answer). Below
 * the cache's 2 s lookup bound, so the SDK gives up before the cache does.
 */
export const DEFAULT_SSM_TIMEOUT_MS = 1_500;

export interface SsmModeProviderOptions {
  /** Default /cabal/sinkhole_mode. */
  readonly parameterName?: string;
  /** Default DEFAULT_SSM_TIMEOUT_MS. */
  readonly timeoutMs?: number;
  /**
   * Passed to new SSMClient() over this provider's defaults (maxAttempts 1, a
   * requestHandler bounded by timeoutMs). Region, credentials and endpoint
   * come from the SDK's standard chains unless set here.
   */
  readonly clientConfig?: Readonly<Record<string, unknown>>;
}

export interface SsmModeProvider extends ModeProvider {
  /** Closes the SDK client's pooled connections, if it was ever loaded. */
  destroy(): void;
}

type SsmSdk = typeof import('@aws-sdk/client-ssm');

// Bundlers that split the SDK's CommonJS build into its own chunk (esbuild
// with splitting) hand its exports over as the namespace's default.
function sdkExports(loaded: SsmSdk): SsmSdk {
  const namespace = loaded as SsmSdk & { readonly default?: SsmSdk };
  return typeof namespace.SSMClient === 'function' || namespace.default === undefined ? loaded : namespace.default;
}

interface LoadedClient {
  readonly client: SSMClient;
  readonly Command: typeof GetParameterCommand;
}

/**
 * The mode from an SSM String parameter through @aws-sdk/client-ssm. The SDK
 * is imported on the first lookup, never before, so the env and file sources
 * never load it; the specifier is a literal so bundlers can still include it.
 *
 * Each lookup is one GetParameter call, cut off after timeoutMs whatever stage
 * it is at. The SDK does not retry (maxAttempts 1): the cache owns retries,
 * with backoff, so a broken endpoint sees a bounded request rate.
 */
export function ssmModeProvider(options: SsmModeProviderOptions = {}): SsmModeProvider {
  const parameterName = options.parameterName ?? DEFAULT_SSM_PARAMETER;
  const timeoutMs = options.timeoutMs ?? DEFAULT_SSM_TIMEOUT_MS;
  if (parameterName.length === 0) throw new RangeError('ssmModeProvider: parameterName must not be empty');
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new RangeError(`ssmModeProvider: timeoutMs must be a positive number of milliseconds, got ${timeoutMs}`);
  }
  const name = `ssm:${parameterName}`;
  let loading: Promise<LoadedClient> | undefined;

  const load = async (): Promise<LoadedClient> => {
    const sdk = sdkExports(await import('@aws-sdk/client-ssm'));
    const config = {
      maxAttempts: 1,
      // requestTimeout is only enforced when throwOnRequestTimeout is true.
      requestHandler: { requestTimeout: timeoutMs, connectionTimeout: timeoutMs, throwOnRequestTimeout: true },
      ...options.clientConfig,
    } as SSMClientConfig;
    return { client: new sdk.SSMClient(config), Command: sdk.GetParameterCommand };
  };

  const loadOnce = (): Promise<LoadedClient> => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined; // a later lookup tries again, e.g. after the SDK is installed
      throw error;
    });
    return loading;
  };

  const lookup = async (signal?: AbortSignal): Promise<string> => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const bound = signal === undefined ? deadline : AbortSignal.any([signal, deadline]);
    try {
      const loaded = loadOnce();
      // abortable() also bounds the stages the SDK's signal does not reach,
      // such as a slow credential provider.
      const { client, Command } = await abortable(loaded, bound);
      const output = await abortable(
        client.send(new Command({ Name: parameterName }), { abortSignal: bound }),
        bound,
      );
      const value = output.Parameter?.Value;
      if (typeof value !== 'string') {
        throw new ModeSourceError('ERR_MODE_SOURCE_UNAVAILABLE', 'answered without Parameter.Value', name);
      }
      return value;
    } catch (error) {
      if (deadline.aborted) {
        throw new ModeSourceError('ERR_MODE_SOURCE_TIMEOUT', `no answer within ${timeoutMs} ms`, name, { cause: error });
      }
      if (signal?.aborted === true) {
        throw new ModeSourceError('ERR_MODE_SOURCE_TIMEOUT', 'lookup aborted by the caller', name, { cause: error });
      }
      throw ssmError(error, name, parameterName);
    }
  };

  return {
    name,
    lookup,
    // Importing and evaluating the SDK is a one-time local cost (hundreds of ms on a busy
    // machine), not the endpoint's latency: done here, it does not eat the first lookup's bound.
    prepare: async () => {
      await loadOnce();
    },
    destroy: () => {
      void loading?.then(({ client }) => client.destroy(), () => undefined);
    },
  };
}
