/**
 * Summarises a V8 .cpuprofile (node --cpu-prof): self time per function, and inclusive time
 * (the function plus everything it called), so the hot path can be named in a report.
 */
interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface FunctionCost {
  readonly name: string;
  readonly location: string;
  readonly selfMs: number;
  readonly selfShare: number;
  readonly totalMs: number;
  readonly totalShare: number;
}

export function summariseProfile(profile: CpuProfile): { readonly totalMs: number; readonly functions: FunctionCost[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const dt = Math.max(0, profile.timeDeltas[i] ?? 0);
    selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
    totalUs += dt;
  });
  const key = (n: ProfileNode): string => `${n.callFrame.functionName || '(anonymous)'}\u0000${n.callFrame.url}:${n.callFrame.lineNumber + 1}`;
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (node === undefined) continue;
    self.set(key(node), (self.get(key(node)) ?? 0) + us);
    // Count each function once per stack, even when it recurses.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur);
      if (n === undefined) break;
      const k = key(n);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + us);
    }
  }
  const functions = [...inclusive.keys()].map((k) => {
    const [name, location] = k.split('\u0000') as [string, string];
    const s = self.get(k) ?? 0;
    const t = inclusive.get(k) ?? 0;
    return { name, location: shorten(location), selfMs: s / 1000, selfShare: totalUs > 0 ? s / totalUs : 0, totalMs: t / 1000, totalShare: totalUs > 0 ? t / totalUs : 0 };
  });
  return { totalMs: totalUs / 1000, functions };
}

function shorten(location: string): string {
  return location.replace(/^file:\/\//, '').replace(/^.*\/(packages|benchmarks|node_modules)\//, '$1/');
}
