/**
 * The default CPU thread count ("threads: auto"): the physical cores not busy with other work
 * right now, capped for small models. llama.cpp's worker threads spin while they wait for each
 * other, so one thread more than the free cores makes every step wait on a descheduled thread
 * (measured on 2 cores with one held by another program, tiny model: 3 tokens/s at 4 threads,
 * 13 at 2, 2,281 at 1). Re-checked at every model load.
 */
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

export interface ThreadChoice {
  threads: number;
  physicalCores: number;
  /** Cores' worth of CPU time other programs used while we looked (physical cores, rounded). */
  busyCores: number;
  /** The small-model cap that applied, if any. */
  cap: number | null;
  /** One sentence for the runtime panel and the CLI. */
  reason: string;
}

/** Physical cores (Linux: distinct core/package pairs in sysfs); elsewhere the logical count. */
export function physicalCoreCount(): number {
  const logical = Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  if (process.platform !== 'linux') return logical;
  try {
    const cores = new Set<string>();
    for (const name of readdirSync('/sys/devices/system/cpu')) {
      if (!/^cpu\d+$/.test(name)) continue;
      const base = `/sys/devices/system/cpu/${name}/topology`;
      try {
        cores.add(`${readFileSync(`${base}/physical_package_id`, 'utf8').trim()}:${readFileSync(`${base}/core_id`, 'utf8').trim()}`);
      } catch {
        cores.add(name); // no topology (some VMs): count the CPU itself
      }
    }
    // Confined to fewer CPUs (taskset, cgroups) than the machine has: those are what we can use.
    return Math.max(1, Math.min(cores.size || logical, logical));
  } catch {
    return logical;
  }
}

function cpuTotals(): { busy: number; all: number } {
  let busy = 0;
  let all = 0;
  for (const c of os.cpus()) {
    const t = c.times;
    busy += t.user + t.nice + t.sys + t.irq;
    all += t.user + t.nice + t.sys + t.irq + t.idle;
  }
  return { busy, all };
}

/** CPU use over a window, in logical CPUs' worth of work: all programs, and this process alone. */
export function startCpuSample(): () => { total: number; own: number } {
  const started = performance.now();
  const cpu0 = cpuTotals();
  const own0 = process.cpuUsage();
  return () => {
    const ms = performance.now() - started;
    const cpu1 = cpuTotals();
    const used = process.cpuUsage(own0);
    if (ms < 20 || cpu1.all <= cpu0.all) return { total: 0, own: 0 };
    // os.cpus() times are in ms per CPU: the busy share of all CPUs' time, in CPUs.
    const total = ((cpu1.busy - cpu0.busy) / (cpu1.all - cpu0.all)) * os.cpus().length;
    return { total, own: (used.user + used.system) / 1000 / ms };
  };
}

/**
 * Starts measuring how busy the other programs keep the CPU; the returned function ends the
 * window and answers in logical CPUs. This process's own use (a model loading meanwhile) is
 * left out, so the window can overlap the load instead of delaying it.
 */
export function startBusySample(): () => number {
  const stop = startCpuSample();
  return () => {
    const { total, own } = stop();
    return Math.max(0, total - own);
  };
}

/**
 * A core counts as busy once other programs use this share of it. Below one half on purpose: the two
 * mistakes cost very differently. One thread too many under contention measured 0.1–0.3 tokens/s against
 * 7–20 with one thread fewer (bench:infer --load 1, 2 cores, 2026-12-07); one thread too few on a free
 * core costs at most the speed-up that core would have added (1.3–1.7× here).
 */
export const BUSY_CORE_SHARE = 0.4;

/** Thread caps by model size: below these a step's work is too small to share among more threads. */
const SMALL_MODEL_CAPS: readonly (readonly [maxParameters: number, threads: number])[] = [
  [50e6, 1],
  [500e6, 2],
  [3e9, 4],
];

export function smallModelCap(parameterCount: number): number | null {
  for (const [max, threads] of SMALL_MODEL_CAPS) if (parameterCount < max) return threads;
  return null;
}

function formatParams(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}B`;
  return n >= 1e6 ? `${Math.round(n / 1e6)}M` : `${Math.round(n / 1e3)}K`;
}

/** The auto thread count from the free physical cores and the model's size (pure: testable). */
export function chooseThreads(physicalCores: number, logicalCores: number, busyLogical: number, parameterCount: number): ThreadChoice {
  const busyCores = Math.floor((busyLogical * physicalCores) / Math.max(1, logicalCores) + 1 - BUSY_CORE_SHARE);
  const free = Math.max(1, physicalCores - busyCores);
  const cap = smallModelCap(parameterCount);
  const threads = cap !== null ? Math.min(free, cap) : free;
  const parts = [`${physicalCores} physical core${physicalCores === 1 ? '' : 's'}`, `${busyCores} busy with other programs at load`];
  const capped = cap !== null && cap < free ? `; at most ${cap} for a ${formatParams(parameterCount)}-parameter model` : '';
  return { threads, physicalCores, busyCores, cap: cap !== null && cap < free ? cap : null, reason: `auto: ${parts.join(', ')}${capped}` };
}
