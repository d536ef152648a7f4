import { parseArgs } from 'node:util';
import { ALL_SCENARIOS, profileSettings, type Profile, type ProfileSettings } from './matrix/scenarios.js';
import { DEFAULT_TARGET_IDS, TARGET_IDS, type TargetId } from './targets/target-catalog.js';

export const RUN_USAGE = `Usage: node dist/run.mjs [--profile full|ci] [options]
  --profile P         full: every scenario, 3 repetitions (pnpm bench); ci: the short gate (pnpm bench:ci)
  --reps N            repetitions (profile default 3)
  --warmup-ms N       warm-up per cell
  --duration-ms N     measured window per cell
  --scenarios a,b     only these scenario ids (${ALL_SCENARIOS.map((s) => s.id).join(', ')})
  --targets a,b       these targets (default ${DEFAULT_TARGET_IDS.join(',')}; also smtp-core: the bare engine)
  --no-postfix        do not fetch or use smtp-sink / smtp-source
  --no-micro          skip the micro-benchmarks (full profile runs them)
  --out DIR           results directory (full: benchmarks/results, ci: benchmarks/.cache/results-ci)
  --no-readme         do not update the README's latest-results section`;

export interface RunOptions {
  readonly settings: ProfileSettings;
  readonly targets: readonly TargetId[];
  readonly postfix: boolean;
  readonly micro: boolean;
  readonly outDir: string | null;
  /** README update: only for a complete full-profile run. */
  readonly readme: boolean;
}

export function parseRunArgs(argv: readonly string[]): RunOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      profile: { type: 'string', default: 'full' },
      reps: { type: 'string' },
      'warmup-ms': { type: 'string' },
      'duration-ms': { type: 'string' },
      scenarios: { type: 'string' },
      targets: { type: 'string' },
      'no-postfix': { type: 'boolean', default: false },
      'no-micro': { type: 'boolean', default: false },
      out: { type: 'string' },
      'no-readme': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return 'help';
  if (values.profile !== 'full' && values.profile !== 'ci') throw new Error('--profile must be full or ci');
  const base = profileSettings(values.profile as Profile);
  let scenarios = base.scenarios;
  if (values.scenarios !== undefined) {
    const ids = values.scenarios.split(',').map((s) => s.trim());
    const unknown = ids.filter((id) => !ALL_SCENARIOS.some((s) => s.id === id));
    if (unknown.length > 0) throw new Error(`unknown scenario(s): ${unknown.join(', ')}`);
    scenarios = ALL_SCENARIOS.filter((s) => ids.includes(s.id));
  }
  let targets: readonly TargetId[] = DEFAULT_TARGET_IDS;
  if (values.targets !== undefined) {
    const ids = values.targets.split(',').map((s) => s.trim());
    const unknown = ids.filter((id) => !(TARGET_IDS as readonly string[]).includes(id));
    if (unknown.length > 0) throw new Error(`unknown target(s): ${unknown.join(', ')}`);
    targets = TARGET_IDS.filter((t) => ids.includes(t));
  }
  const settings: ProfileSettings = {
    ...base,
    scenarios,
    repetitions: positive(values.reps, base.repetitions, '--reps'),
    warmupMs: positive(values['warmup-ms'], base.warmupMs, '--warmup-ms', 0),
    durationMs: positive(values['duration-ms'], base.durationMs, '--duration-ms'),
  };
  const complete = values.scenarios === undefined && values.targets === undefined && values.reps === undefined;
  return {
    settings,
    targets,
    postfix: !values['no-postfix'],
    micro: base.profile === 'full' && !values['no-micro'],
    outDir: values.out ?? null,
    readme: base.profile === 'full' && complete && !values['no-readme'] && values.out === undefined,
  };
}

function positive(text: string | undefined, fallback: number, name: string, min = 1): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer >= ${min}`);
  return n;
}
