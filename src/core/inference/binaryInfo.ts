/**
 * Which llama.cpp binary the engine runs (node-llama-cpp's portable prebuilt, the portable build an
 * installer ships, or a build for this CPU), what it and the CPU support, and whether a one-time build
 * for this CPU is worth offering.
 */
import { readFileSync } from 'node:fs';
import type { Llama } from 'node-llama-cpp';
import type { EngineBinaryInfo } from '../../shared/models';

/** Instruction sets that matter to ggml's CPU kernels, as llama.cpp's system info and /proc/cpuinfo name them. */
const FEATURES = [
  ['AVX', 'avx'],
  ['AVX2', 'avx2'],
  ['F16C', 'f16c'],
  ['FMA', 'fma'],
  ['AVX512', 'avx512f'],
  ['AVX512_VBMI', 'avx512vbmi'],
  ['AVX512_VNNI', 'avx512_vnni'],
  ['AVX512_BF16', 'avx512_bf16'],
  ['AVX_VNNI', 'avx_vnni'],
  ['AMX_INT8', 'amx_int8'],
] as const;

/** The shape lives in src/shared/models.ts (the `engineInfo` call returns it). */
export type LlamaBinaryInfo = EngineBinaryInfo;

/** Feature names (llama.cpp's spelling) present in "AVX = 1 | AVX2 = 0 | …". */
export function parseSystemInfo(systemInfo: string): { features: string[]; openmp: boolean } {
  const on = new Set<string>();
  for (const m of systemInfo.matchAll(/([A-Z0-9_]+) = 1/g)) on.add(m[1]!);
  return { features: FEATURES.map(([name]) => name).filter((n) => on.has(n)), openmp: on.has('OPENMP') };
}

/** This CPU's features in llama.cpp's spelling, from the `flags` line of /proc/cpuinfo. */
export function parseCpuFlags(cpuinfo: string): string[] {
  const line = /^flags\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? '';
  const flags = new Set(line.split(/\s+/));
  return FEATURES.filter(([, flag]) => flags.has(flag)).map(([name]) => name);
}

/** The ggml CPU variant library this process has mapped (Linux), e.g. libggml-cpu-zen4.so → "zen4". */
export function mappedCpuVariant(maps: string): string | null {
  return /libggml-cpu-([a-z0-9_.]+)\.so/.exec(maps)?.[1] ?? null;
}

function readOr(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Pure: the description and the build advice from what was read (testable with any inputs). */
export function describeBinary(input: { buildType: 'prebuilt' | 'localBuild'; systemInfo: string; cpuinfo: string; maps: string }): LlamaBinaryInfo {
  const { features, openmp } = parseSystemInfo(input.systemInfo);
  const cpuFeatures = parseCpuFlags(input.cpuinfo);
  // AVX_VNNI is the 256-bit form of AVX512_VNNI: a binary using the latter leaves nothing on the table.
  const unused = cpuFeatures.filter((f) => !features.includes(f) && !(f === 'AVX_VNNI' && features.includes('AVX512_VNNI')));
  const cpuVariant = mappedCpuVariant(input.maps);
  // A local build that loaded a CPU variant library is the portable one (scripts/build-engine-portable.mjs:
  // what `npm run dist` ships); a build for this CPU has a single libggml-cpu.
  const variant = cpuVariant ? ` (CPU variant ${cpuVariant})` : '';
  const kind = input.buildType === 'prebuilt' ? `portable prebuilt${variant}` : cpuVariant ? `portable build from source${variant}` : 'built for this CPU';
  const summary = `${kind}; uses ${features.join(', ') || 'no SIMD extensions'}${openmp ? ', OpenMP' : ''}${unused.length ? `; the CPU also has ${unused.join(', ')}` : ''}`;
  let buildRecommended = false;
  // Measured (docs/PERFORMANCE.md, issue 16): the portable configuration built from source runs prompts at
  // 100-103% of llama-bench, so a build for this CPU would gain nothing.
  let buildReason = cpuVariant
    ? 'the engine already runs a portable build from source, as fast as a build for this CPU'
    : 'the engine already runs a build for this CPU';
  if (input.buildType === 'prebuilt') {
    buildRecommended = true;
    // Measured (docs/PERFORMANCE.md, issue 16): the prebuilt's zen4 variant has the same AVX-512 kernels as a
    // native build, yet it processed prompts at 40-53% of llama-bench on the machine measured.
    buildReason = unused.length
      ? `the portable binary leaves ${unused.join(', ')} unused`
      : 'the portable prebuilt processed F16 prompts at about half the speed of a build from source on the machine measured (Q4_K_M prompts at ~94%)';
  }
  return { buildType: input.buildType, cpuVariant, binaryFeatures: features, cpuFeatures, unused, openmp, summary, buildRecommended, buildReason };
}

/** The binary node-llama-cpp loaded into this process. */
export function llamaBinaryInfo(llama: Pick<Llama, 'buildType' | 'systemInfo'>): LlamaBinaryInfo {
  return describeBinary({
    buildType: llama.buildType,
    systemInfo: llama.systemInfo,
    cpuinfo: process.platform === 'linux' ? readOr('/proc/cpuinfo') : '',
    maps: process.platform === 'linux' ? readOr('/proc/self/maps') : '',
  });
}
