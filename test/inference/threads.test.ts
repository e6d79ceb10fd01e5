/**
 * threads "auto": the free physical cores at load, capped for small models; measured against a
 * real busy process, and reported with its reason by the engine's loaded models.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InferenceEngine } from '../../src/core/inference/engine';
import { chooseThreads, physicalCoreCount, smallModelCap, startBusySample, startCpuSample } from '../../src/core/inference/threads';
import { makeFixtures, type Fixtures } from '../models/fixtures';

let fx: Fixtures;
beforeAll(async () => {
  fx = await makeFixtures();
});
afterAll(async () => {
  await fx?.cleanup();
});

describe('chooseThreads', () => {
  it('leaves the cores other programs keep busy, and caps small models', () => {
    expect(chooseThreads(2, 2, 0.1, 8e9)).toMatchObject({ threads: 2, busyCores: 0, cap: null });
    expect(chooseThreads(2, 2, 1.0, 8e9)).toMatchObject({ threads: 1, busyCores: 1 });
    expect(chooseThreads(2, 2, 2.0, 8e9)).toMatchObject({ threads: 1, busyCores: 2 }); // never 0
    // A core counts as busy from 40% use (too many spinning threads cost far more than one too few).
    expect(chooseThreads(2, 2, 0.45, 8e9)).toMatchObject({ threads: 1, busyCores: 1 });
    expect(chooseThreads(2, 2, 0.35, 8e9)).toMatchObject({ threads: 2, busyCores: 0 });
    expect(chooseThreads(8, 8, 2.5, 8e9)).toMatchObject({ threads: 5, busyCores: 3 });
    // SMT: 8 logical CPUs on 4 cores, two logical CPUs busy hold one core.
    expect(chooseThreads(4, 8, 2, 8e9)).toMatchObject({ threads: 3, busyCores: 1 });
    const tiny = chooseThreads(8, 8, 0, 1e6);
    expect(tiny).toMatchObject({ threads: 1, cap: 1 });
    expect(tiny.reason).toBe('auto: 8 physical cores, 0 busy with other programs at load; at most 1 for a 1M-parameter model');
    expect(chooseThreads(16, 16, 0, 1e8)).toMatchObject({ threads: 2, cap: 2 });
    expect(chooseThreads(1, 1, 0, 1e8)).toMatchObject({ threads: 1, cap: null }); // the cap did not bind
    expect([smallModelCap(1e6), smallModelCap(1e8), smallModelCap(1e9), smallModelCap(8e9)]).toEqual([1, 2, 4, null]);
  });

  it('counts physical cores no more than logical ones', () => {
    const n = physicalCoreCount();
    expect(n).toBeGreaterThanOrEqual(1);
    expect(n).toBeLessThanOrEqual(os.availableParallelism());
  });
});

describe('startBusySample', () => {
  it('sees another process holding a core, and leaves out this process’s own work', async () => {
    const hog = spawn(process.execPath, ['-e', 'const end = Date.now() + 1500; while (Date.now() < end) {}'], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 200));
      const stop = startBusySample();
      await new Promise((r) => setTimeout(r, 600));
      const busy = stop();
      console.log(`busy logical CPUs while a busy-loop ran: ${busy.toFixed(2)}`);
      expect(busy).toBeGreaterThan(0.6);
    } finally {
      hog.kill();
    }
    // Our own spinning is measured as our own, and so left out of "other programs".
    // Spin for 300 ms of CPU time rather than of wall time: on a loaded machine this process may get a
    // fifth of a core, and the measurement must still account for all the CPU it used.
    const stop = startCpuSample();
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const spent = (): number => {
      const u = process.cpuUsage(c0);
      return (u.user + u.system) / 1000;
    };
    while (spent() < 300 && performance.now() - t0 < 10_000) {
      /* spin */
    }
    const wall = performance.now() - t0;
    const { total, own } = stop();
    console.log(`while only this process spun: all programs ${total.toFixed(2)} CPUs, this process ${own.toFixed(2)} (${wall.toFixed(0)} ms wall)`);
    expect(own * wall).toBeGreaterThan(250); // ms of CPU attributed to this process
    expect(own).toBeLessThan(1.3);
  });
});

describe('the engine', () => {
  it('picks threads at load when none are set, and says why', async () => {
    const engine = new InferenceEngine();
    try {
      const auto = await engine.loadModel(fx.model);
      expect(auto.threads).toBe(1); // the tiny model is capped at 1
      expect(auto.threadsReason).toMatch(/^auto: \d+ physical cores?, \d+ busy with other programs at load/);
      const out = await engine.generate({ modelPath: fx.model, prompt: 'the patient', maxTokens: 3 });
      expect(out.context?.threads).toBe(1);
    } finally {
      await engine.dispose();
    }
    const fixed = new InferenceEngine();
    try {
      const set = await fixed.loadModel(fx.model, { threads: 2 });
      expect(set).toMatchObject({ threads: 2, threadsReason: null });
    } finally {
      await fixed.dispose();
    }
  });
});
