import type { Aggregate } from '../matrix/aggregate.js';
import type { CellResult } from '../matrix/cell-result.js';
import type { TargetCheck } from '../matrix/target-checks.js';
import type { Profile, Scenario } from '../matrix/scenarios.js';
import type { MicroReport } from '../micro/micro-types.js';
import type { TargetId } from '../targets/target-catalog.js';

/** Everything one run measured: written as results/<date>.json and rendered to markdown and SVG. */
export interface RunReport {
  readonly schema: 1;
  readonly startedAt: string;
  readonly durationSec: number;
  /** Time spent before cells waiting for other load on the machine to pass. */
  readonly quietWaitSec: number;
  readonly profile: Profile;
  readonly settings: { readonly repetitions: number; readonly warmupMs: number; readonly durationMs: number };
  readonly environment: Environment;
  readonly scenarios: readonly Scenario[];
  readonly targets: readonly { readonly id: TargetId; readonly label: string; readonly unavailable: string | null }[];
  readonly cells: readonly CellResult[];
  readonly aggregates: readonly Aggregate[];
  readonly checks: readonly TargetCheck[];
  readonly gateFailures: readonly string[];
  /** Why the CI gate was not applied (a run without the sinkhole or the node sink); absent in older results. */
  readonly gateNotApplied?: string | null;
  readonly micro: MicroReport | null;
}

export interface Environment {
  readonly node: string;
  readonly platform: string;
  readonly cpuModel: string;
  readonly cpus: number;
  readonly loadAverage: readonly number[];
  readonly pinning: string;
  readonly postfix: string;
  readonly gitCommit: string | null;
  /** packages/ had uncommitted changes when the run started (the bundle was built from the working tree). */
  readonly packagesDirty: boolean | null;
  /** Modification time of the sinkhole bundle measured. */
  readonly sinkholeBundleTime: string | null;
  /** Node flags taken from the image's ENTRYPOINT for the sinkhole target. */
  readonly sinkholeNodeFlags: readonly string[];
}
