// Per-test lab for the MTA scenarios: a temp dir, one sinkhole, and the sendmail instances created
// in it; all stopped and removed after each test.
import { afterEach } from 'vitest';
import { SendmailInstance, type SendmailInstanceOptions } from './sendmail-instance.js';
import { Sinkhole, type SinkholeOptions } from './sinkhole.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';

export interface MtaLab {
  readonly dir: string;
  readonly sinkhole: Sinkhole;
  instance(options: Omit<SendmailInstanceOptions, 'sinkholePort'>): Promise<SendmailInstance>;
}

export function useMtaLabs(): (sinkhole: SinkholeOptions) => Promise<MtaLab> {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return async (sinkholeOptions) => {
    const dir = await makeTempDir('mta');
    cleanups.push(() => removeTempDir(dir));
    const sinkhole = await Sinkhole.start(sinkholeOptions);
    cleanups.push(() => sinkhole.stop());
    return {
      dir,
      sinkhole,
      instance: async (options) => {
        const instance = await SendmailInstance.create(dir, { ...options, sinkholePort: sinkhole.port });
        cleanups.push(() => instance.dispose());
        return instance;
      },
    };
  };
}
