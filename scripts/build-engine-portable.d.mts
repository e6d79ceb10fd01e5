// Types for scripts/build-engine-portable.mjs (plain ESM so that `npm run dist` runs it without a TypeScript step).

export interface CpuBuild {
  /** portable: GGML_NATIVE off, CPU variants loaded at run time (safe to ship); native: built for this machine's CPU. */
  kind: 'portable' | 'native' | 'incomplete' | 'missing';
  /** The CPU variant libraries in Release/ (e.g. "haswell", "zen4"), sorted. */
  variants: string[];
  openmp?: boolean;
}

export declare function nodeLlamaCppPaths(): { cli: string; llamaDir: string };
export declare function cpuBuildFolder(llamaDir: string, platform?: NodeJS.Platform, arch?: string): string;
export declare function describeCpuBuild(folder: string): CpuBuild;
export declare function buildPortableEngine(options?: { force?: boolean }): CpuBuild;
export declare function shippedEngineProblems(
  localBuilds: string,
  base: string,
  options?: { prebuiltOnly?: boolean },
): { builds: { name: string; build: CpuBuild }[]; problems: string[] };
