/**
 * `npm run bench:infer -- --load N`: generation speed with the default ("auto") threads, with every
 * thread count from 1 to the physical cores, and llama-bench with its own defaults, first on the
 * machine as it is ("idle") and then while N busy-loop processes hold N cores ("loaded").
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { InferenceEngine } from '../../src/core/inference/engine';
import { physicalCoreCount } from '../../src/core/inference/threads';
import { startSpinners } from './loadSpinners';

export interface LoadCondition {
  load: number;
  /** The 1-minute load average before and after the condition ran (other users of the machine included). */
  loadAvg: [number, number];
  defaults: { tps: number[]; threads: number[]; reasons: string[] };
  sweep: { threads: number; tps: number[] }[];
  llamaBench: { tps: number[]; threads: number };
  /** Measurements cut at their time budget (figures for those are upper bounds or partial runs). */
  cut: string[];
}

/**
 * Time budgets: on a shared 2-core machine at load 18, llama.cpp's spinning threads outnumbering the free
 * cores ran at 0.3 tokens/s, so one tg64 took 3.5 minutes; a measurement past its budget is cut.
 */
const ENGINE_BUDGET_MS = 30_000;
const LLAMA_BENCH_BUDGET_MS = 60_000;

function physicalCoreCountLabel(): string {
  return `${physicalCoreCount()}, its default`;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Tokens/s of 64 tokens generated from BOS alone (llama-bench's tg64 positions) by a freshly loaded engine. */
async function engineTg(model: string, threads: number | undefined, tg: number): Promise<{ tps: number; threads: number; reason: string; cut: boolean }> {
  const engine = new InferenceEngine({ gpu: false, reusePrefix: false });
  try {
    // Loaded inside the condition, so that "auto" sees the busy processes as a user's load would.
    const loaded = await engine.loadModel(model, { gpuLayers: 0, ...(threads !== undefined ? { threads } : {}) });
    await engine.generate({ modelPath: model, prompt: '', maxTokens: 8, contextSize: 1024 }); // warm-up
    const res = await engine.generate({ modelPath: model, prompt: '', maxTokens: tg, contextSize: 1024, signal: AbortSignal.timeout(ENGINE_BUDGET_MS) });
    const cut = res.stopReason === 'abort';
    if (res.outputTokens !== tg && !cut) throw new Error(`the model stopped after ${res.outputTokens} of ${tg} tokens (${res.stopReason})`);
    // Cut at its budget: the tokens generated so far over the time taken.
    const tps = cut ? (res.outputTokens * 1000) / res.totalMs : res.tokensPerSecond;
    return { tps, threads: loaded.threads ?? threads ?? 0, reason: loaded.threadsReason ?? `--threads ${threads}`, cut };
  } finally {
    await engine.dispose();
  }
}

/** llama-bench with its own defaults (threads, polling), generation only: `-p 0 -n <tg> -r 1`. */
function llamaBenchDefaults(bin: string, model: string, tg: number): { tps: number; threads: number; cut: boolean } {
  let raw: string;
  try {
    raw = execFileSync(bin, ['-m', model, '-p', '0', '-n', String(tg), '-r', '1', '-o', 'json', '-ngl', '0'], {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
      timeout: LLAMA_BENCH_BUDGET_MS,
      killSignal: 'SIGKILL',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch (err) {
    if ((err as { signal?: string }).signal !== 'SIGKILL') throw err;
    // Not finished within the budget (its warm-up run included): at most tg tokens in that time.
    return { tps: (tg * 1000) / LLAMA_BENCH_BUDGET_MS, threads: 0, cut: true };
  }
  const row = (JSON.parse(raw) as { n_gen: number; avg_ts: number; n_threads: number }[]).find((r) => r.n_gen === tg);
  if (!row) throw new Error(`llama-bench printed no tg${tg} row`);
  return { tps: row.avg_ts, threads: row.n_threads, cut: false };
}

export async function measureCondition(opts: {
  model: string;
  llamaBench: string;
  load: number;
  rounds: number;
  tg: number;
  log: (s: string) => void;
}): Promise<LoadCondition> {
  const cores = physicalCoreCount();
  const spinners = await startSpinners(opts.load);
  try {
    // Let the scheduler settle the spinners onto their cores before anything is measured.
    if (opts.load > 0) await new Promise((r) => setTimeout(r, 1000));
    const before = os.loadavg()[0]!;
    const out: LoadCondition = {
      load: opts.load,
      loadAvg: [before, before],
      defaults: { tps: [], threads: [], reasons: [] },
      sweep: Array.from({ length: cores }, (_, i) => ({ threads: i + 1, tps: [] })),
      llamaBench: { tps: [], threads: 0 },
      cut: [],
    };
    // Rounds interleave the three so that a slow minute of the shared machine hits each of them, and odd rounds
    // run them in reverse so that none always comes first (after the previous round's llama-bench) or last.
    for (let r = 0; r < opts.rounds; r++) {
      const steps: (() => Promise<void>)[] = [];
      let d = { tps: 0, threads: 0, reason: '', cut: false };
      let b = { tps: 0, threads: 0, cut: false };
      steps.push(async () => {
        d = await engineTg(opts.model, undefined, opts.tg);
        out.defaults.tps.push(d.tps);
        out.defaults.threads.push(d.threads);
        out.defaults.reasons.push(d.reason);
        if (d.cut) out.cut.push(`round ${r + 1} defaults`);
      });
      for (const s of out.sweep)
        steps.push(async () => {
          const m = await engineTg(opts.model, s.threads, opts.tg);
          s.tps.push(m.tps);
          if (m.cut) out.cut.push(`round ${r + 1} ${s.threads} thread${s.threads === 1 ? '' : 's'}`);
        });
      steps.push(async () => {
        b = llamaBenchDefaults(opts.llamaBench, opts.model, opts.tg);
        out.llamaBench.tps.push(b.tps);
        if (b.cut) out.cut.push(`round ${r + 1} llama-bench (upper bound)`);
        else out.llamaBench.threads = b.threads;
      });
      for (const step of r % 2 === 0 ? steps : steps.reverse()) await step();
      opts.log(
        `load ${opts.load}, round ${r + 1}: defaults (${d.threads} threads) ${d.tps.toFixed(1)}, ${out.sweep.map((s) => `${s.threads}t ${s.tps.at(-1)!.toFixed(1)}`).join(', ')}, llama-bench (${b.threads}t) ${b.tps.toFixed(1)} tokens/s\n`,
      );
    }
    out.loadAvg[1] = os.loadavg()[0]!;
    return out;
  } finally {
    await spinners.stop();
  }
}

/** The markdown table and verdict lines for the conditions measured. */
export function formatLoadReport(conditions: readonly LoadCondition[], tg: number): string[] {
  const lines = [
    `| condition (busy-loop processes) | load average (1 min, before → after) | defaults: auto threads chose | defaults tokens/s (tg${tg}) | sweep: tokens/s per thread count | best of sweep | defaults ÷ best | llama-bench defaults (threads) | defaults ÷ llama-bench |`,
    '|---|---:|---|---:|---|---:|---:|---:|---:|',
  ];
  const verdicts: string[] = [];
  for (const c of conditions) {
    const def = median(c.defaults.tps);
    const sweep = c.sweep.map((s) => ({ threads: s.threads, tps: median(s.tps) }));
    const best = sweep.reduce((a, b) => (b.tps > a.tps ? b : a));
    const lb = median(c.llamaBench.tps);
    const chose = [...new Set(c.defaults.threads)].join('/');
    lines.push(
      `| ${c.load === 0 ? 'idle (0)' : `loaded (${c.load})`} | ${c.loadAvg[0].toFixed(2)} → ${c.loadAvg[1].toFixed(2)} | ${chose} | ${def.toFixed(1)} | ${sweep.map((s) => `${s.threads}: ${s.tps.toFixed(1)}`).join(' · ')} | ${best.tps.toFixed(1)} (${best.threads}) | **${((def / best.tps) * 100).toFixed(0)}%** | ${lb.toFixed(1)} (${c.llamaBench.threads || physicalCoreCountLabel()}) | **${((def / lb) * 100).toFixed(0)}%** |`,
    );
    verdicts.push(
      `${c.load === 0 ? 'Idle' : `With ${c.load} busy process${c.load === 1 ? '' : 'es'}`}${c.cut.length ? ` (cut at their time budget: ${c.cut.join(', ')})` : ''}: defaults at ${((def / best.tps) * 100).toFixed(0)}% of the sweep's best (target ≥ 90%: ${def >= 0.9 * best.tps ? 'met' : 'missed'}), ${((def / lb) * 100).toFixed(0)}% of llama-bench's defaults (target ≥ 100%: ${def >= lb ? 'met' : 'missed'}); auto's reason in round 1: "${c.defaults.reasons[0]}".`,
    );
  }
  return [...lines, '', ...verdicts];
}
