import { describe, expect, it } from 'vitest';
import { summariseProfile, type CpuProfile } from '../src/profile/cpu-profile.js';

const frame = (functionName: string, lineNumber = 0): { functionName: string; url: string; lineNumber: number } => ({
  functionName,
  url: 'file:///work/main/packages/smtp-core/src/x.ts',
  lineNumber,
});

describe('summariseProfile', () => {
  it('splits self and inclusive time, counting a recursive function once per stack', () => {
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(root)'), children: [2] },
        { id: 2, callFrame: frame('receive', 10), children: [3, 4] },
        { id: 3, callFrame: frame('parseCommand', 20), children: [5] },
        { id: 4, callFrame: frame('writeBuffer', 30) },
        { id: 5, callFrame: frame('parseCommand', 20) },
      ],
      samples: [3, 4, 4, 5, 2],
      timeDeltas: [1000, 1000, 1000, 1000, 1000],
    };
    const { totalMs, functions } = summariseProfile(profile);
    expect(totalMs).toBe(5);
    const get = (name: string) => functions.find((f) => f.name === name)!;
    expect(get('receive')).toMatchObject({ selfMs: 1, totalMs: 5, totalShare: 1 });
    expect(get('parseCommand')).toMatchObject({ selfMs: 2, totalMs: 2 });
    expect(get('writeBuffer')).toMatchObject({ selfMs: 2, selfShare: 0.4 });
    expect(get('parseCommand').location).toBe('packages/smtp-core/src/x.ts:21');
  });
});
