/**
 * Where a model's weights live when nobody chose (core/inference/weightPlacement.ts): read into RAM for
 * CPU work when they leave most memory free, memory-mapped otherwise; a setting always wins.
 */
import { describe, expect, it } from 'vitest';
import { chooseWeightPlacement, IN_RAM_MAX_SHARE } from '../../src/core/inference/weightPlacement';

const GB = 1e9;

describe('chooseWeightPlacement', () => {
  it('reads CPU models into RAM while they take at most half of the memory available', () => {
    const small = chooseWeightPlacement({ requested: undefined, sizeBytes: 0.95 * GB, availableBytes: 22.9 * GB, cpuOnly: true });
    expect(small).toEqual({
      mmap: false,
      reason: 'auto: read into RAM (0.95 GB of 22.9 GB available): generation stays at full speed through long runs',
    });
    // An 8B Q4_K_M (4.9 GB) on a 16 GB workstation with 11 GB available: in RAM; with 9 GB: mapped.
    expect(chooseWeightPlacement({ requested: undefined, sizeBytes: 4.9 * GB, availableBytes: 11 * GB, cpuOnly: true }).mmap).toBe(false);
    const big = chooseWeightPlacement({ requested: undefined, sizeBytes: 4.9 * GB, availableBytes: 9 * GB, cpuOnly: true });
    expect(big).toEqual({ mmap: true, reason: 'auto: memory-mapped (4.9 GB is more than half of the 9.0 GB available, so the OS may page it)' });
    // The boundary is inclusive.
    expect(chooseWeightPlacement({ requested: undefined, sizeBytes: IN_RAM_MAX_SHARE * 8 * GB, availableBytes: 8 * GB, cpuOnly: true }).mmap).toBe(false);
    expect(chooseWeightPlacement({ requested: undefined, sizeBytes: IN_RAM_MAX_SHARE * 8 * GB + 1, availableBytes: 8 * GB, cpuOnly: true }).mmap).toBe(true);
  });

  it("keeps llama.cpp's default where layers may go to a GPU, and never overrides a setting", () => {
    expect(chooseWeightPlacement({ requested: undefined, sizeBytes: GB, availableBytes: 64 * GB, cpuOnly: false })).toEqual({
      mmap: true,
      reason: "auto: memory-mapped (llama.cpp's default where layers may go to a GPU)",
    });
    expect(chooseWeightPlacement({ requested: true, sizeBytes: GB, availableBytes: 64 * GB, cpuOnly: true })).toEqual({
      mmap: true,
      reason: 'memory-mapped, as set',
    });
    expect(chooseWeightPlacement({ requested: false, sizeBytes: 60 * GB, availableBytes: 8 * GB, cpuOnly: false })).toEqual({
      mmap: false,
      reason: 'read into RAM, as set',
    });
  });
});
