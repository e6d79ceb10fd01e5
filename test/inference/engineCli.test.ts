/**
 * `medtask engine info` through the real CLI (bundled as users run it): which llama.cpp binary the
 * engine loads, as JSON and as text. `engine build` itself is not run here (minutes, and it rewrites
 * the shared node_modules/node-llama-cpp); its process handling is tested in engineBuild.test.ts.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers';

const run = promisify(execFile);

beforeAll(async () => {
  await run(process.execPath, ['scripts/build-node.mjs'], { cwd: REPO });
}, 120_000);

describe('medtask engine', () => {
  it('info says which binary runs and whether a build for this CPU is recommended', async () => {
    const json = await run(process.execPath, ['bin/medtask.cjs', 'engine', 'info', '--json'], { cwd: REPO });
    const info = JSON.parse(json.stdout) as { buildType: string; summary: string; buildRecommended: boolean; binaryFeatures: string[] };
    expect(['prebuilt', 'localBuild']).toContain(info.buildType);
    expect(info.buildRecommended).toBe(info.buildType === 'prebuilt');
    expect(info.binaryFeatures.length).toBeGreaterThan(0);
    const text = await run(process.execPath, ['bin/medtask.cjs', 'engine', 'info'], { cwd: REPO });
    expect(text.stdout).toContain(`engine binary: ${info.summary}`);
    if (info.buildRecommended) expect(text.stdout).toContain('medtask engine build');
  }, 60_000);

  it('lists build with what it needs', async () => {
    const help = await run(process.execPath, ['bin/medtask.cjs', 'engine', '--help'], { cwd: REPO });
    expect(help.stdout).toMatch(/build \[options\]\s+build the engine for this CPU/);
  }, 30_000);

  it('build refuses at once, saying what to install, where cmake and a compiler are missing', async () => {
    const info = JSON.parse((await run(process.execPath, ['bin/medtask.cjs', 'engine', 'info', '--json'], { cwd: REPO })).stdout) as { buildType: string };
    const env = { ...process.env, PATH: '/nonexistent-bin' };
    if (info.buildType === 'localBuild') {
      console.log('engine build refusal: this checkout already loads a local build, so `engine build` stops before the prerequisites (checked below instead)');
      const again = await run(process.execPath, ['bin/medtask.cjs', 'engine', 'build'], { cwd: REPO, env });
      expect(again.stdout).toMatch(/^the engine already runs a (portable build from source|build for this CPU)/);
      return;
    }
    const text = await run(process.execPath, ['bin/medtask.cjs', 'engine', 'info'], { cwd: REPO, env });
    expect(text.stdout).toMatch(/but it cannot start here: cmake was not found on the PATH .*; no C\+\+ compiler was found/);
    const refused = await run(process.execPath, ['bin/medtask.cjs', 'engine', 'build'], { cwd: REPO, env }).then(
      () => null,
      (err: { code: number; stderr: string }) => err,
    );
    expect(refused).not.toBeNull();
    expect(refused!.code).not.toBe(0);
    expect(refused!.stderr).toMatch(/a build for this CPU cannot start here: cmake was not found.*The bundled engine stays in use/);
  }, 60_000);
});
