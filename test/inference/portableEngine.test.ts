/**
 * The engine an installer ships (scripts/build-engine-portable.mjs, run by `npm run dist`): which local
 * builds count as portable and may go out, and which (a build for the packaging machine's own CPU, an
 * unfinished build) must not; checked on build folders laid out as node-llama-cpp writes them, and on
 * this checkout's own local build where there is one.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cpuBuildFolder, describeCpuBuild, nodeLlamaCppPaths, shippedEngineProblems } from '../../scripts/build-engine-portable.mjs';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A build folder as node-llama-cpp's compile leaves it: CMakeCache.txt, Release/, buildDone.status. */
function buildFolder(cache: Record<string, string>, release: string[], done = true, at?: string, eol = '\n'): string {
  const dir = at ?? fs.mkdtempSync(path.join(os.tmpdir(), 'medtask-localbuild-'));
  if (at) fs.mkdirSync(at, { recursive: true });
  else dirs.push(dir);
  const lines = Object.entries(cache).map(([k, v]) => `${k}:BOOL=${v}`);
  fs.writeFileSync(path.join(dir, 'CMakeCache.txt'), ['# This is the CMakeCache file.', 'CMAKE_BUILD_TYPE:STRING=Release', ...lines, ''].join(eol));
  fs.mkdirSync(path.join(dir, 'Release'));
  for (const f of release) fs.writeFileSync(path.join(dir, 'Release', f), '');
  if (done) fs.writeFileSync(path.join(dir, 'buildDone.status'), '');
  return dir;
}

describe('portable engine build', () => {
  it('tells a portable build from one for this CPU, an unfinished one and none', () => {
    const portable = buildFolder({ GGML_NATIVE: 'OFF', GGML_BACKEND_DL: 'ON', GGML_CPU_ALL_VARIANTS: 'ON', GGML_OPENMP: 'OFF' }, [
      'llama-addon.node',
      'libggml-cpu-zen4.so',
      'libggml-cpu-haswell.so',
      'libggml-base.so',
    ]);
    expect(describeCpuBuild(portable)).toEqual({ kind: 'portable', variants: ['haswell', 'zen4'], openmp: false });
    // `medtask engine build` / `npm run build:llama-native`: -march=native, one CPU library.
    const native = buildFolder({ GGML_NATIVE: 'ON', GGML_OPENMP: 'ON' }, ['llama-addon.node', 'libggml-cpu.so']);
    expect(describeCpuBuild(native)).toMatchObject({ kind: 'native', variants: [] });
    // Native with the backends split out is still native: the variants make it portable, not the layout.
    const nativeDl = buildFolder({ GGML_NATIVE: 'ON', GGML_BACKEND_DL: 'ON' }, ['llama-addon.node', 'libggml-cpu.so']);
    expect(describeCpuBuild(nativeDl).kind).toBe('native');
    const unfinished = buildFolder({ GGML_NATIVE: 'OFF', GGML_BACKEND_DL: 'ON' }, ['libggml-cpu-zen4.so'], false);
    expect(describeCpuBuild(unfinished).kind).toBe('incomplete');
    expect(describeCpuBuild(path.join(os.tmpdir(), 'medtask-no-such-build')).kind).toBe('missing');
    // Windows: CMake writes CRLF and may say YES; the libraries have no lib prefix.
    const windows = buildFolder({ GGML_NATIVE: 'NO', GGML_BACKEND_DL: 'YES' }, ['llama-addon.node', 'ggml-cpu-alderlake.dll'], true, undefined, '\r\n');
    expect(describeCpuBuild(windows)).toMatchObject({ kind: 'portable', variants: ['alderlake'] });
    const windowsNative = buildFolder({ GGML_NATIVE: 'ON', GGML_BACKEND_DL: 'YES' }, ['llama-addon.node', 'ggml-cpu-alderlake.dll'], true, undefined, '\r\n');
    expect(describeCpuBuild(windowsNative).kind).toBe('native');
    // arm64's variants carry versions (ggml/src/CMakeLists.txt: armv8.0_1, armv8.2_1 …).
    const arm = buildFolder({ GGML_NATIVE: 'OFF', GGML_BACKEND_DL: 'ON' }, ['llama-addon.node', 'libggml-cpu-armv8.0_1.so', 'libggml-cpu-armv8.2_1.so']);
    expect(describeCpuBuild(arm)).toMatchObject({ kind: 'portable', variants: ['armv8.0_1', 'armv8.2_1'] });
  });

  it('says what an installer would ship from localBuilds and refuses what it must not', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'medtask-localbuilds-'));
    dirs.push(root);
    const portable = { GGML_NATIVE: 'OFF', GGML_BACKEND_DL: 'ON' };
    buildFolder(portable, ['llama-addon.node', 'libggml-cpu-zen4.so'], true, path.join(root, 'linux-x64'));
    // A lock folder an interrupted build left, and another platform's build: neither is this installer's.
    fs.mkdirSync(path.join(root, 'linux-x64.lock'));
    buildFolder({ GGML_NATIVE: 'ON' }, ['llama-addon.node', 'libggml-cpu.so'], true, path.join(root, 'linux-arm64'));
    expect(shippedEngineProblems(root, 'linux-x64')).toEqual({
      builds: [{ name: 'linux-x64', build: { kind: 'portable', variants: ['zen4'], openmp: false } }],
      problems: [],
    });
    // --prebuilt-engine: node-llama-cpp would load any local build before the prebuilt.
    expect(shippedEngineProblems(root, 'linux-x64', { prebuiltOnly: true }).problems).toEqual([
      'localBuilds/linux-x64 would be shipped and loaded before the prebuilt: move it aside',
    ]);
    // A build for the packaging machine's own CPU beside it (a GPU sibling built natively) is refused.
    buildFolder({ GGML_NATIVE: 'ON' }, ['llama-addon.node', 'libggml-cpu.so'], true, path.join(root, 'linux-x64-cuda'));
    expect(shippedEngineProblems(root, 'linux-x64').problems).toEqual([
      'localBuilds/linux-x64-cuda is a native build and would be shipped: move it aside, or run `npm run build:engine-portable -- --force`',
    ]);
    expect(shippedEngineProblems(path.join(root, 'none'), 'linux-x64')).toEqual({ builds: [], problems: [] });
  });

  it('looks where node-llama-cpp loads local builds from first', () => {
    const { cli, llamaDir } = nodeLlamaCppPaths();
    expect(fs.existsSync(cli)).toBe(true);
    expect(fs.existsSync(path.join(llamaDir, 'gitRelease.bundle'))).toBe(true);
    expect(cpuBuildFolder('/x/llama', 'linux', 'x64')).toBe(path.join('/x/llama', 'localBuilds', 'linux-x64'));
    expect(cpuBuildFolder('/x/llama', 'win32', 'x64')).toBe(path.join('/x/llama', 'localBuilds', 'win-x64'));
    expect(cpuBuildFolder('/x/llama', 'darwin', 'arm64')).toBe(path.join('/x/llama', 'localBuilds', 'mac-arm64'));
    const here = describeCpuBuild(cpuBuildFolder(llamaDir));
    console.log(`[portableEngine] this checkout's CPU local build: ${here.kind}${here.variants.length ? ` (${here.variants.join(', ')})` : ''}`);
  });
});
