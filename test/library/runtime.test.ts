import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MedtaskCore } from '../../src/core/service';
import { writeTinyModel } from '../tooling/tinyModel';
import type { ModelLoadProgress } from '../../src/shared/models';
import { TINY } from '../models/fixtures';
import { tempDir } from '../helpers';

const core = new MedtaskCore({ home: tempDir() });
afterAll(() => core.dispose());

describe('explicit model loading', () => {
  it('loads with progress events, reports the runtime, and unloads', async () => {
    const file = path.join(tempDir(), 'tiny.gguf');
    await writeTinyModel(file, TINY);
    const events: ModelLoadProgress[] = [];
    const off = core.on('modelLoadProgress', (p) => events.push(p));
    const loaded = await core.handlers.loadModel({ path: file, threads: 1, loadId: 'L1' });
    off();
    expect(loaded).toMatchObject({ path: file, architecture: 'llama', threads: 1 });
    expect(events.at(-1)).toMatchObject({ loadId: 'L1', progress: 1, done: true });
    const info = await core.handlers.runtimeInfo({});
    expect(info.backend).toBe('cpu');
    expect(info.ram.total).toBeGreaterThan(0);
    expect(info.loaded.map((m) => m.path)).toContain(file);
    expect(await core.handlers.unloadModel({ path: file })).toBe(true);
    expect((await core.handlers.runtimeInfo({})).loaded).toEqual([]);
    expect(await core.handlers.cancelLoad({ loadId: 'nothing-running' })).toBe(false);
  });

  it('read into RAM instead of memory-mapped, the load reports progress tensor by tensor', async () => {
    // A mapped file has nothing to copy on CPU, so llama.cpp reports no progress until the end;
    // read into RAM, each tensor moves the bar.
    const file = path.join(tempDir(), 'tiny-ram.gguf');
    await writeTinyModel(file, { ...TINY, seed: 11, layers: 8, embd: 128, ff: 256 });
    const events: ModelLoadProgress[] = [];
    const off = core.on('modelLoadProgress', (p) => events.push(p));
    const loaded = await core.handlers.loadModel({ path: file, threads: 1, mmap: false, loadId: 'R1' });
    off();
    expect(loaded).toMatchObject({ mmap: false, mmapReason: 'read into RAM, as set' });
    const partial = events.filter((e) => !e.done).map((e) => e.progress);
    expect(partial.filter((p) => p > 0 && p < 1).length).toBeGreaterThanOrEqual(10);
    expect(partial).toEqual([...partial].sort((a, b) => a - b));
    expect(events.at(-1)).toMatchObject({ loadId: 'R1', progress: 1, done: true });
    expect((await core.handlers.runtimeInfo({})).loaded.find((m) => m.path === file)?.mmap).toBe(false);
    const text = (await core.handlers.generate({ model: file, prompt: 'the patient', maxTokens: 4, temperature: 0 })).text;
    expect(await core.handlers.unloadModel({ path: file })).toBe(true);
    // The same file mapped gives the same output.
    expect(await core.handlers.loadModel({ path: file, threads: 1, mmap: true, loadId: 'R2' })).toMatchObject({
      mmap: true,
      mmapReason: 'memory-mapped, as set',
    });
    expect((await core.handlers.generate({ model: file, prompt: 'the patient', maxTokens: 4, temperature: 0 })).text).toBe(text);
    expect(await core.handlers.unloadModel({ path: file })).toBe(true);
    // Unset, the engine chooses: on this CPU-only engine a model this small leaves most memory free, so it is read in.
    const auto = await core.handlers.loadModel({ path: file, threads: 1, loadId: 'R3' });
    expect(auto.mmap).toBe(false);
    expect(auto.mmapReason).toMatch(/^auto: read into RAM \(0\.\d\d GB of [\d.]+ GB available\)/);
    expect((await core.handlers.runtimeInfo({})).loaded.find((m) => m.path === file)?.mmapReason).toBe(auto.mmapReason);
    expect(await core.handlers.unloadModel({ path: file })).toBe(true);
  });

  it('cancelling a load stops only that caller; the load stops when every caller has cancelled', async () => {
    const file = path.join(tempDir(), 'tiny-cancel.gguf');
    await writeTinyModel(file, { ...TINY, seed: 9 });
    // Two loads of one file share it: cancelling the first leaves the second to finish.
    const first = Promise.resolve(core.handlers.loadModel({ path: file, threads: 1, loadId: 'C1' })).catch((e: unknown) => e);
    const second = core.handlers.loadModel({ path: file, threads: 1, loadId: 'C2' });
    expect(await core.handlers.cancelLoad({ loadId: 'C1' })).toBe(true);
    expect(String(((await first) as Error).message)).toMatch(/cancel|abort/i);
    expect(await second).toMatchObject({ path: file });
    expect((await core.handlers.runtimeInfo({})).loaded.map((m) => m.path)).toContain(file);
    expect(await core.handlers.unloadModel({ path: file })).toBe(true);

    // Alone, a cancelled load is not left behind, and the file loads again afterwards.
    const lone = Promise.resolve(core.handlers.loadModel({ path: file, threads: 1, loadId: 'C3' })).catch((e: unknown) => e);
    expect(await core.handlers.cancelLoad({ loadId: 'C3' })).toBe(true);
    expect(String(((await lone) as Error).message)).toMatch(/cancel|abort/i);
    expect((await core.handlers.runtimeInfo({})).loaded.map((m) => m.path)).not.toContain(file);
    expect(await core.handlers.loadModel({ path: file, threads: 1, loadId: 'C4' })).toMatchObject({ path: file });
    expect(await core.handlers.unloadModel({ path: file })).toBe(true);
  });

  it('one engine: a model is loaded once, and threads are set per context', async () => {
    const file = path.join(tempDir(), 'tiny-threads.gguf');
    await writeTinyModel(file, { ...TINY, seed: 13 });
    await core.handlers.loadModel({ path: file, threads: 1, loadId: 'T1' });
    const one = await core.handlers.generate({ model: file, prompt: 'the patient', maxTokens: 4, temperature: 0 });
    const two = await core.handlers.generate({ model: file, prompt: 'the patient', maxTokens: 4, temperature: 0, settings: { threads: 2 } });
    expect(one.settings.threads).toBe(1); // the load's threads, when generate does not say
    expect(two.settings.threads).toBe(2);
    expect(two.text).toBe(one.text);
    const loaded = (await core.handlers.runtimeInfo({})).loaded.filter((m) => m.path === file);
    expect(loaded).toHaveLength(1);
    expect(loaded[0]?.threads).toBe(1);
    expect(await core.handlers.unloadModel({ path: file })).toBe(true);
    expect((await core.handlers.runtimeInfo({})).loaded.filter((m) => m.path === file)).toHaveLength(0);
  });

  it('a bad file is a clear error naming it, and the runtime stays usable', async () => {
    const err = await Promise.resolve(core.handlers.loadModel({ path: '/no/such/model.gguf', loadId: 'L2' })).catch((e: unknown) => e);
    expect(String((err as Error).message)).toContain('/no/such/model.gguf');
    expect((await core.handlers.runtimeInfo({})).backend).toBe('cpu');
  });
});
