// A fresh sinkhole per test (greylisting state and log counts stay per test), stopped after each test.
import { afterEach } from 'vitest';
import { Sinkhole, type SinkholeOptions } from './sinkhole.js';

export function useSinkholes(): (options: SinkholeOptions) => Promise<Sinkhole> {
  const started: Sinkhole[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.stop()));
  });
  return async (options) => {
    const sinkhole = await Sinkhole.start(options);
    started.push(sinkhole);
    return sinkhole;
  };
}
