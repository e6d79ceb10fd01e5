/**
 * "Build for this CPU" and the binary description. The real build (node-llama-cpp's `source download`)
 * takes minutes (6 here) and rewrites node_modules/node-llama-cpp/llama, which every test here shares, so
 * the process handling (progress, cancel of the whole process group, failure with the build's last
 * lines) runs against a real child process that prints a build's output; the binary description runs
 * against the real node-llama-cpp binary this checkout loads.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeBinary, llamaBinaryInfo, mappedCpuVariant, parseCpuFlags, parseSystemInfo } from '../../src/core/inference/binaryInfo';
import { buildEngineForThisCpu, nodeLlamaCppCli, parseBuildLine, type EngineBuildProgress } from '../../src/core/inference/engineBuild';
import { InferenceEngine } from '../../src/core/inference/engine';
import { CancelledError } from '../../src/core/errors';
import { engineAdvice } from '../../src/core/inference/engineBuildJob';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medtask-engine-build-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A build's output: clone, cmake, then compile lines; a grandchild like a compiler; `exit` sets the end. */
function standIn(exit: 'hang' | 0 | 2): string[] {
  const file = path.join(dir, `build-${String(exit)}.cjs`);
  const pidFile = path.join(dir, `grandchild-${String(exit)}.pid`);
  fs.writeFileSync(
    file,
    `const { spawn } = require('node:child_process');
const g = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(g.pid));
console.log('\\u001b[34mCloning llama.cpp\\u001b[39m');
console.log('-- The C compiler identification is GNU 12.2.0');
console.error('[ 10%] Building C object ggml/src/CMakeFiles/ggml-base.dir/ggml.c.o');
console.log('[57/200] Building CXX object src/llama.cpp.o');
setTimeout(() => { ${exit === 'hang' ? '' : `g.kill(); ${exit === 2 ? "console.error('error: cc1 killed'); " : ''}process.exit(${exit});`} }, ${exit === 'hang' ? 0 : 200});
${exit === 'hang' ? 'setInterval(() => {}, 1000);' : ''}`,
  );
  return [process.execPath, file, pidFile];
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('parseBuildLine', () => {
  it('reads make and ninja progress, and names the phases', () => {
    expect(parseBuildLine('[ 45%] Building CXX object x.o')).toMatchObject({ phase: 'compile', fraction: 0.45 });
    expect(parseBuildLine('[12/200] Building CXX object x.o')).toMatchObject({ phase: 'compile', fraction: 0.06 });
    expect(parseBuildLine('Cloning llama.cpp')?.phase).toBe('clone');
    expect(parseBuildLine('-- Configuring done')?.phase).toBe('configure');
    expect(parseBuildLine('npm notice')).toBeNull();
  });
});

describe('buildEngineForThisCpu', () => {
  it('reports progress and finishes', async () => {
    const seen: EngineBuildProgress[] = [];
    const [node, file] = standIn(0);
    const res = await buildEngineForThisCpu({ command: [node!, file!], onProgress: (p) => seen.push(p) });
    // stdout and stderr arrive in either order; colour codes are stripped, and both streams are read.
    expect(new Set(seen.map((p) => p.phase))).toEqual(new Set(['clone', 'configure', 'compile', 'done']));
    expect(seen.at(-1)!.phase).toBe('done');
    expect(
      seen
        .filter((p) => p.phase === 'compile')
        .map((p) => p.fraction)
        .sort(),
    ).toEqual([0.1, 0.285]);
    expect(res.tail).toContain('[57/200] Building CXX object src/llama.cpp.o');
  });

  it('fails with the last lines of the output', async () => {
    const [node, file] = standIn(2);
    await expect(buildEngineForThisCpu({ command: [node!, file!] })).rejects.toThrow(/exit 2.*prebuilt binary stays in use[\s\S]*cc1 killed/);
  });

  it('cancels: the build and what it started are killed, and the error says so', async () => {
    const [node, file, pidFile] = standIn('hang');
    const controller = new AbortController();
    const done = buildEngineForThisCpu({
      command: [node!, file!],
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'compile') controller.abort();
      },
    });
    await expect(done).rejects.toBeInstanceOf(CancelledError);
    const grandchild = Number(fs.readFileSync(pidFile!, 'utf8'));
    const end = Date.now() + 3000;
    while (alive(grandchild) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    expect(alive(grandchild)).toBe(false);
  });

  it("runs node-llama-cpp's own CLI by default", () => {
    expect(fs.existsSync(nodeLlamaCppCli())).toBe(true);
  });
});

describe('binary description', () => {
  it('parses llama.cpp system info, cpuinfo flags and the mapped CPU variant', () => {
    expect(parseSystemInfo('CPU : SSE3 = 1 | AVX = 1 | AVX2 = 1 | F16C = 1 | FMA = 1 | AVX512 = 0 | OPENMP = 1 |')).toEqual({
      features: ['AVX', 'AVX2', 'F16C', 'FMA'],
      openmp: true,
    });
    expect(parseCpuFlags('processor : 0\nflags\t\t: fpu sse avx f16c fma avx2 avx512f avx512_vnni\n')).toEqual([
      'AVX',
      'AVX2',
      'F16C',
      'FMA',
      'AVX512',
      'AVX512_VNNI',
    ]);
    expect(mappedCpuVariant('7f00-7f10 r-xp 0 00:00 1 /x/bins/linux-x64/libggml-cpu-haswell.so\n')).toBe('haswell');
    const d = describeBinary({
      buildType: 'prebuilt',
      systemInfo: 'AVX = 1 | AVX2 = 1 | F16C = 1 | FMA = 1 |',
      cpuinfo: 'flags : avx avx2 f16c fma avx512f',
      maps: '/x/libggml-cpu-haswell.so',
    });
    expect(d).toMatchObject({ cpuVariant: 'haswell', unused: ['AVX512'], buildRecommended: true });
    expect(d.summary).toBe('portable prebuilt (CPU variant haswell); uses AVX, AVX2, F16C, FMA; the CPU also has AVX512');
    const native = describeBinary({ buildType: 'localBuild', systemInfo: 'AVX2 = 1 | OPENMP = 1', cpuinfo: '', maps: '/x/libggml-cpu.so' });
    expect(native).toMatchObject({ cpuVariant: null, buildRecommended: false });
    expect(native.summary).toBe('built for this CPU; uses AVX2, OpenMP');
    // The installer's engine (scripts/build-engine-portable.mjs): a local build that dispatches to CPU variants.
    const portable = describeBinary({
      buildType: 'localBuild',
      systemInfo: 'AVX = 1 | AVX2 = 1 | AVX512 = 1 |',
      cpuinfo: 'flags : avx avx2 avx512f',
      maps: '/app/localBuilds/linux-x64/Release/libggml-cpu-zen4.so',
    });
    expect(portable).toMatchObject({ cpuVariant: 'zen4', unused: [], buildRecommended: false });
    expect(portable.summary).toBe('portable build from source (CPU variant zen4); uses AVX, AVX2, AVX512');
    expect(portable.buildReason).toMatch(/portable build from source/);
    expect(engineAdvice(portable, null)).toBe('The engine runs a portable build from source: prompts run at full speed.');
    expect(engineAdvice(native, null)).toBe('The engine runs a build for this CPU: prompts run at full speed.');
    expect(engineAdvice(d, null)).toMatch(
      /^Prompts of F16 models run at about half this CPU's speed with the bundled engine \(quantized ones such as Q4_K_M at about 94%\)\. It also leaves AVX512 unused\./,
    );
  });

  it('describes the binary this checkout really loads', async () => {
    const engine = new InferenceEngine({ gpu: false });
    try {
      const info = llamaBinaryInfo(await engine.getLlama());
      console.log(`engine binary: ${info.summary}; build recommended: ${info.buildRecommended} (${info.buildReason})`);
      expect(info.binaryFeatures.length).toBeGreaterThan(0);
      if (process.platform === 'linux' && info.buildType === 'prebuilt' && process.arch === 'x64') expect(info.cpuVariant).not.toBeNull();
      expect(info.buildRecommended).toBe(info.buildType === 'prebuilt');
    } finally {
      await engine.dispose();
    }
  });
});
