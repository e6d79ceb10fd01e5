// Types for scripts/llamaBuild.mjs (plain ESM so it runs without a TypeScript step).

export declare const DEFAULT_TARGETS: readonly string[];

export interface LlamaBuildOptions {
  /** CMake targets to build. Default llama-server and llama-bench. */
  targets?: readonly string[];
  /** Adds -DGGML_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES=native. */
  cuda?: boolean;
  /** GGML_NATIVE (optimise for this CPU). Default true. */
  native?: boolean;
  /** More CMake arguments. */
  extra?: readonly string[];
  /** Parallel compile jobs. Default: all cores. */
  jobs?: number;
  /** Cache root. Default $MEDTASK_LLAMA_CACHE or ~/.cache/medtask/llama.cpp. */
  cacheDir?: string;
  /** Configure and build again even when cached. */
  force?: boolean;
  /** Build output, line by line. Default: stderr. */
  log?: (line: string) => void;
  /** The folder holding gitRelease.bundle. Default node_modules/node-llama-cpp/llama. */
  nodeLlamaCppDir?: string;
}

export interface BuildTools {
  ok: boolean;
  found: Record<'git' | 'cmake' | 'c++' | 'cc' | 'ninja' | 'make', string | null>;
  missing: string[];
  /** Debian/Ubuntu packages providing the missing tools. */
  aptPackages: string[];
  /** A sentence naming what is missing and how to install it; null when ok. */
  message: string | null;
}

export interface LlamaSourceInfo {
  bundle: string;
  release: string;
  repo: string | null;
  commit: string;
}

export interface LlamaBuildPaths {
  source: LlamaSourceInfo;
  args: string[];
  variant: string;
  releaseDir: string;
  srcDir: string;
  buildDir: string;
  binDir: string;
  binaries: Record<string, string>;
  stamp: string;
}

export interface LlamaBuildResult {
  /** Target name → absolute binary path. */
  binaries: Record<string, string>;
  cached: boolean;
  /** Wall time of this call's build (0 when cached). */
  seconds: number;
  extractSeconds?: number;
  configureSeconds?: number;
  compileSeconds?: number;
  release: string;
  commit: string;
  buildDir: string;
}

export declare function checkBuildTools(options?: { cuda?: boolean }): BuildTools;
export declare function llamaSourceInfo(options?: { nodeLlamaCppDir?: string }): LlamaSourceInfo;
export declare function cacheRoot(): string;
export declare function cmakeArgs(options?: { cuda?: boolean; native?: boolean; extra?: readonly string[] }): string[];
export declare function llamaBuildPaths(options?: LlamaBuildOptions): LlamaBuildPaths;
export declare function findCachedLlamaBinaries(options?: LlamaBuildOptions): Record<string, string> | null;
export declare function buildLlama(options?: LlamaBuildOptions): Promise<LlamaBuildResult>;
