// What a build for this CPU needs before it starts (cmake, a C++ compiler, a writable engine folder), checked on the real file system and PATH; and the engine call that reports it instead of offering a build that would fail.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildBlockers } from '../../src/core/inference/buildPrerequisites';
import { EngineBuildJob } from '../../src/core/inference/engineBuildJob';
import { tempDir } from '../helpers';

const dir = tempDir('medtask-build-prereq-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A folder holding executables with these names (each a real script that exits 0). */
function binDir(name: string, tools: string[]): string {
  const bin = path.join(dir, name);
  fs.mkdirSync(bin, { recursive: true });
  for (const t of tools) fs.writeFileSync(path.join(bin, t), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  return bin;
}

describe('build prerequisites', () => {
  const llamaDir = path.join(dir, 'node_modules', 'node-llama-cpp', 'llama');

  it('nothing blocks with cmake and a compiler on the PATH and a writable folder (made by the first build)', () => {
    const bin = binDir('full', ['cmake', 'g++']);
    expect(buildBlockers({ llamaDir, env: { PATH: bin }, platform: 'linux' })).toEqual([]);
  });

  it('names each missing tool, with what to install', () => {
    const empty = binDir('empty', []);
    const blockers = buildBlockers({ llamaDir, env: { PATH: empty }, platform: 'linux' });
    expect(blockers).toHaveLength(2);
    expect(blockers[0]).toMatch(/cmake was not found.*apt install cmake/);
    expect(blockers[1]).toMatch(/no C\+\+ compiler.*apt install g\+\+/);
    expect(buildBlockers({ llamaDir, env: { PATH: binDir('cmake-only', ['cmake']) }, platform: 'linux' })).toEqual([blockers[1]]);
    // CXX naming a compiler outside the PATH counts.
    const cxx = path.join(binDir('own-cxx', ['my-clang++']), 'my-clang++');
    expect(buildBlockers({ llamaDir, env: { PATH: binDir('cmake-only', ['cmake']), CXX: cxx }, platform: 'linux' })).toEqual([]);
    // A non-executable file named cmake is not cmake.
    const fake = binDir('not-executable', ['g++']);
    fs.writeFileSync(path.join(fake, 'cmake'), 'text', { mode: 0o644 });
    expect(buildBlockers({ llamaDir, env: { PATH: fake }, platform: 'linux' })).toEqual([blockers[0]]);
  });

  it("an engine folder inside the installed app's archive cannot be written", () => {
    const bin = binDir('full', ['cmake', 'g++']);
    const packaged = path.join(dir, 'MedTask', 'resources', 'app.asar', 'node_modules', 'node-llama-cpp', 'llama');
    expect(buildBlockers({ llamaDir: packaged, env: { PATH: bin }, platform: 'linux' })).toEqual([expect.stringMatching(/inside the installed app's archive/)]);
  });

  it('a read-only engine folder is named', () => {
    const bin = binDir('full', ['cmake', 'g++']);
    const ro = path.join(dir, 'read-only');
    fs.mkdirSync(ro, { mode: 0o555 });
    let writable = true;
    try {
      fs.accessSync(ro, fs.constants.W_OK);
    } catch {
      writable = false;
    }
    if (writable) {
      // Root writes anywhere (CI runs as root): the check is the same access() call, so only the message shape is asserted there.
      console.log(
        'read-only folder check: this user can write a 0555 folder (root), so the folder counts as writable here; the refusal is checked as non-root',
      );
      expect(buildBlockers({ llamaDir: path.join(ro, 'llama'), env: { PATH: bin }, platform: 'linux' })).toEqual([]);
    } else {
      expect(buildBlockers({ llamaDir: path.join(ro, 'llama'), env: { PATH: bin }, platform: 'linux' })).toEqual([expect.stringMatching(/cannot be written/)]);
    }
  });

  it('the engine says why it cannot build, does not start one, and still describes the binary that runs', async () => {
    const job = new EngineBuildJob({
      getLlama: async () => ({ buildType: 'prebuilt', systemInfo: 'CPU : SSE3 = 1 | AVX = 1 | AVX2 = 1 |' }) as never,
      emit: () => undefined,
      blockers: () => ['cmake was not found on the PATH (install it, e.g. "apt install cmake", or from cmake.org)'],
    });
    const info = await job.info();
    expect(info.cannotBuild).toMatch(/^A build for this CPU cannot start here: cmake was not found/);
    expect(info.advice).toContain(info.cannotBuild!);
    expect(info.advice).toMatch(/bundled engine works meanwhile/);
    await expect(job.start()).rejects.toMatchObject({
      domainKind: 'unsupported',
      message: expect.stringMatching(/cmake was not found.*bundled engine stays in use/),
    });
    expect((await job.info()).build).toBeNull();
  });
});
