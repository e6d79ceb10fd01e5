// The renderer's named-once mechanisms: the late-answer guard, load-settings fields, byte formatting.
import { describe, expect, it } from 'vitest';
import { formatBytes, formatMegabytes } from '../../src/renderer/src/lib/format';
import { lateAnswerGuard } from '../../src/renderer/src/lib/lateAnswer';
import { checkLoadSettings, loadSettingsFields, loadSettingsRequest } from '../../src/renderer/src/lib/loadSettings';

describe('lateAnswerGuard', () => {
  it('a newer start makes the older answer late; current joins without superseding; invalidate drops all', () => {
    const guard = lateAnswerGuard();
    const first = guard.start();
    const second = guard.start();
    expect([first(), second()]).toEqual([false, true]);
    const page = guard.current();
    expect([second(), page()]).toEqual([true, true]);
    guard.invalidate();
    expect([second(), page()]).toEqual([false, false]);
  });
});

describe('load settings', () => {
  it('a saved configuration fills the fields and comes back as the same settings', () => {
    const saved = { gpuLayers: 12, threads: 4, batchSize: 256, flashAttention: false } as const;
    const fields = loadSettingsFields(saved, 'auto');
    expect(fields).toEqual({ gpuLayers: '12', threads: '4', batchSize: '256', flashAttention: 'off' });
    const checked = checkLoadSettings({ ...fields, mmap: '' });
    expect(checked.errors).toEqual({});
    expect(loadSettingsRequest(checked.value!)).toEqual(saved);
  });

  it('defaults stay out of the request; the run form shows automatic GPU layers as empty', () => {
    expect(loadSettingsFields({ gpuLayers: 'auto' }, '')).toEqual({ gpuLayers: '', threads: '', batchSize: '', flashAttention: '' });
    const checked = checkLoadSettings({ gpuLayers: 'auto', threads: '', batchSize: '', flashAttention: '', mmap: '' });
    expect(loadSettingsRequest(checked.value!)).toEqual({});
    // Where the weights live: unset lets the engine choose; either choice is passed on as set.
    expect(checked.value!.mmap).toBeUndefined();
    expect(checkLoadSettings({ gpuLayers: 'auto', threads: '', batchSize: '', flashAttention: '', mmap: 'ram' }).value!.mmap).toBe(false);
    expect(checkLoadSettings({ gpuLayers: 'auto', threads: '', batchSize: '', flashAttention: '', mmap: 'mapped' }).value!.mmap).toBe(true);
    expect(checkLoadSettings({ gpuLayers: 'many', threads: '0', batchSize: '', flashAttention: '', mmap: '' }).errors).toEqual({
      gpuLayers: 'auto, max, or a whole number of layers',
      threads: 'empty (automatic) or 1–256',
    });
  });
});

describe('byte formatting', () => {
  it('reads sizes in binary units, and megabytes with a steady unit', () => {
    expect([formatBytes(512), formatBytes(1536), formatBytes(5 * 1024 ** 3)]).toEqual(['512 B', '1.5 KB', '5.0 GB']);
    expect([formatMegabytes(1024 * 1024), formatMegabytes(15.25 * 1024 * 1024), formatMegabytes(300 * 1024 * 1024)]).toEqual(['1.00', '15.3', '300']);
  });
});
