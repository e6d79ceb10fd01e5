/**
 * `medtask engine info` through the real CLI (bundled as users run it): which llama.cpp binary the
 * engine loads, as JSON and as text. `engine build` itself is not run here (10–20 minutes, and it rewrites
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
});
