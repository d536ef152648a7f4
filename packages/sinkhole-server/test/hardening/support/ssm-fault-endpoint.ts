import { startSsmStandIn, type SsmFault, type SsmStandIn } from '@sinkhole/test-kit';
import { startSlowProxy } from './slow-proxy.js';
import { startTcpFront } from './tcp-front.js';

/** How the SSM endpoint misbehaves. */
export type SsmFaultName = 'refused' | 'reset' | 'slow' | 'throttle' | 'garbage' | '500';
export const SSM_FAULTS: readonly SsmFaultName[] = ['refused', 'reset', 'slow', 'throttle', 'garbage', '500'];
/** A slow endpoint answers this late (the provider gives up after 1.5 s). */
export const SLOW_ANSWER_MS = 10_000;

export interface FaultyEndpoint {
  readonly endpoint: string;
  readonly standIn: SsmStandIn;
  /** Lookups that reached the endpoint so far (requests, or reset connections); undefined when not observable (refused). */
  lookups(): number | undefined;
  /** Most requests open at once at a slow endpoint; undefined elsewhere. */
  maxOpenRequests(): number | undefined;
  breakIt(): Promise<void>;
  heal(): Promise<void>;
  close(): Promise<void>;
}

const STAND_IN_FAULT: Readonly<Record<'throttle' | 'garbage' | '500', SsmFault>> = { throttle: 'throttle', garbage: 'garbage', 500: '500' };

/** A healthy SSM endpoint (its own stand-in holding `value`) that `breakIt()` turns into `fault`. */
export async function faultyEndpoint(fault: SsmFaultName, value: string): Promise<FaultyEndpoint> {
  const standIn = await startSsmStandIn({ parameters: { '/cabal/sinkhole_mode': value } });
  const standInPort = Number(new URL(standIn.endpoint).port);
  switch (fault) {
    case 'throttle':
    case 'garbage':
    case '500':
      return {
        endpoint: standIn.endpoint,
        standIn,
        lookups: () => standIn.requestCount,
        maxOpenRequests: () => undefined,
        breakIt: async () => standIn.setFault(STAND_IN_FAULT[fault]),
        heal: async () => standIn.setFault(null),
        close: () => standIn.close(),
      };
    case 'slow': {
      const proxy = await startSlowProxy(standIn.endpoint, 0);
      return {
        endpoint: proxy.endpoint,
        standIn,
        lookups: () => proxy.requestCount,
        maxOpenRequests: () => proxy.maxOpenRequests,
        breakIt: async () => proxy.setDelay(SLOW_ANSWER_MS),
        heal: async () => proxy.setDelay(0),
        close: async () => {
          await proxy.close();
          await standIn.close();
        },
      };
    }
    case 'reset':
    case 'refused': {
      const front = await startTcpFront(standInPort);
      return {
        endpoint: front.endpoint,
        standIn,
        lookups: () => (fault === 'reset' ? front.resetCount : undefined),
        maxOpenRequests: () => undefined,
        breakIt: () => front.setMode(fault === 'reset' ? 'reset' : 'refuse'),
        heal: () => front.setMode('pass'),
        close: async () => {
          await front.close();
          await standIn.close();
        },
      };
    }
  }
}
