export declare const ENTRIES: {
  readonly cli: { readonly name: string; readonly path: string };
  readonly library: { readonly name: string; readonly path: string };
};

export declare function buildSinkhole(options?: {
  readonly outdir?: string;
  readonly entries?: ReadonlyArray<keyof typeof ENTRIES>;
  readonly sourcemap?: boolean;
}): Promise<{ files: string[]; inputs: string[]; externals: Record<string, string[]> }>;

export declare function sinkholeBuildOptions(): Promise<import('esbuild').BuildOptions>;
