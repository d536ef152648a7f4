// Reads packages/sinkhole-server/Dockerfile the way a builder does, for the few instructions the tests check.

export interface FinalStage {
  /** FROM of every stage, with ARG defaults substituted (what a build without --build-arg uses). */
  readonly bases: string[];
  readonly args: Record<string, string>;
  readonly env: Record<string, string>;
  readonly expose: string[];
  readonly user: string;
  readonly healthcheck: string[];
  readonly entrypoint: string[];
  readonly copied: string[];
  readonly run: string[];
}

/** The Dockerfile's final stage: ENV values, EXPOSE, USER, HEALTHCHECK, ENTRYPOINT, COPY and RUN lines. */
export function dockerfileFinalStage(dockerfile: string): FinalStage {
  const text = dockerfile.replace(/\\\n\s*/g, ' ');
  const args: Record<string, string> = {};
  // ARGs before the first FROM are the only ones FROM lines may use.
  const preamble = text.split(/^FROM /m)[0] ?? '';
  for (const m of preamble.matchAll(/^ARG (\w+)(?:=(\S*))?$/gm)) args[m[1] ?? ''] = m[2] ?? '';
  const substitute = (s: string): string => s.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a?: string, b?: string) => args[a ?? b ?? ''] ?? '');
  const bases = [...text.matchAll(/^FROM (\S+)/gm)].map((m) => substitute(m[1] ?? ''));
  const last = text.split(/^FROM /m).at(-1) ?? '';
  const env: Record<string, string> = {};
  for (const m of last.matchAll(/^ENV (.+)$/gm)) for (const pair of (m[1] ?? '').matchAll(/(\w+)=(\S+)/g)) env[pair[1] ?? ''] = pair[2] ?? '';
  const json = (re: RegExp): string[] => JSON.parse(re.exec(last)?.[1] ?? '[]') as string[];
  return {
    bases,
    args,
    env,
    expose: [...last.matchAll(/^EXPOSE (.+)$/gm)].flatMap((m) => (m[1] ?? '').split(/\s+/)),
    user: /^USER (\S+)$/m.exec(last)?.[1] ?? '',
    healthcheck: json(/^HEALTHCHECK .*CMD (\[.*\])$/m),
    entrypoint: json(/^ENTRYPOINT (\[.*\])$/m),
    copied: [...last.matchAll(/^COPY (.+)$/gm)].map((m) => m[1] ?? ''),
    run: [...last.matchAll(/^RUN (.+)$/gm)].map((m) => m[1] ?? ''),
  };
}
