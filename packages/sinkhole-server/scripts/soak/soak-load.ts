import { MIX, runScenario, type ScenarioName } from './soak-scenarios.js';

/** Live counters the sampler reads every second (cumulative). */
export class LoadStats {
  sessions = 0;
  problems = 0;
  readonly outcomes = new Map<string, number>();
  /** The first problems, for the verdict. */
  readonly firstProblems: string[] = [];

  record(outcome: { readonly ok: true; readonly what: string } | { readonly ok: false; readonly problem: string }): void {
    this.sessions++;
    const key = outcome.ok ? outcome.what : 'problem';
    this.outcomes.set(key, (this.outcomes.get(key) ?? 0) + 1);
    if (outcome.ok) return;
    this.problems++;
    if (this.firstProblems.length < 20) this.firstProblems.push(outcome.problem);
  }
}

function picker(hostile: boolean): () => ScenarioName {
  const mix = MIX.filter(([, , isHostile]) => hostile || !isHostile);
  const total = mix.reduce((sum, [, weight]) => sum + weight, 0);
  let seed = 0x50a4;
  const random = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
    return seed / 0x80000000;
  };
  return () => {
    let r = random() * total;
    for (const [name, weight] of mix) {
      r -= weight;
      if (r < 0) return name;
    }
    return 'message';
  };
}

/** `concurrency` client loops running the mix until `stop()` is true. */
export async function runLoad(port: number, options: { readonly concurrency: number; readonly hostile: boolean; readonly stop: () => boolean }, stats: LoadStats): Promise<void> {
  const next = picker(options.hostile);
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (!options.stop()) stats.record(await runScenario(next(), port));
    }),
  );
}
