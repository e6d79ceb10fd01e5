/**
 * npm run bench:infer [-- --quick] [-- --gpu]
 * On one generated model of realistic small shape (~100M parameters, F16), reports
 * llama-bench's prompt and generation tokens/s (built from the llama.cpp source bundled in
 * node-llama-cpp), ours for one sequence through the app's engine, and our items/min on a
 * fixed set of benchmark-shaped prompts with 1, 2, 4 and 8 parallel sequences.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InferenceEngine } from '../../src/core/inference/engine';
import type { GenerateRequest } from '../../src/core/inference/types';
import { buildTinyVocab, writeTinyModel, type TinyModelOptions } from '../../src/core/models/tinyModel';
import { buildLlama } from '../llamaBuild.mjs';
import { mulberry32 } from './corpus';
import { writePerfSection } from './perfDoc';

const quick = process.argv.includes('--quick');
const gpu = process.argv.includes('--gpu');
const threadsArg = process.argv.indexOf("--threads");
const threads = Number(threadsArg >= 0 ? process.argv[threadsArg + 1] : (process.env.MEDTASK_BENCH_THREADS ?? os.cpus().length));

const SHAPE: TinyModelOptions = quick
  ? { seed: 11, layers: 4, embd: 256, heads: 4, kvHeads: 4, ff: 768, contextLength: 4096, weightType: 'f16', name: 'bench-small-f16' }
  : { seed: 11, layers: 12, embd: 768, heads: 12, kvHeads: 12, ff: 2560, contextLength: 4096, weightType: 'f16', name: 'bench-100m-f16' };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function modelFile(): Promise<string> {
  const dir = path.join(os.homedir(), '.cache', 'medtask', 'bench');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${SHAPE.name}-${SHAPE.seed}.gguf`);
  if (!fs.existsSync(file)) {
    process.stderr.write(`writing ${file} …\n`);
    await writeTinyModel(file, SHAPE);
  }
  return file;
}

/**
 * Benchmark-shaped prompts: an instruction, a clinical-length input (60–250 tokens) and a
 * short answer. Words come from the model's own vocabulary so that a word is one token, as
 * with a real tokenizer; random byte-level text would make every prompt five times longer.
 */
function prompts(n: number): string[] {
  const rand = mulberry32(5);
  const words = buildTinyVocab().tokens.filter((t) => t.startsWith('\u2581') && t.length > 2).map((t) => t.slice(1));
  return Array.from({ length: n }, (_, i) => {
    const count = 60 + Math.floor(rand() * 190);
    const input = Array.from({ length: count }, () => words[Math.floor(rand() * words.length)]).join(' ');
    return `Answer the question based on the context. Respond with yes, no, or maybe.\nQuestion ${i}: ${input}\nAnswer:`;
  });
}

async function main(): Promise<void> {
  const model = await modelFile();
  const sizeMb = fs.statSync(model).size / 1e6;
  process.stderr.write('building llama-bench from the bundled llama.cpp source (cached) …\n');
  // Bundled into out/scripts/, the helper cannot find node_modules from its own location: say where.
  const build = (await buildLlama({ targets: ['llama-bench'], nodeLlamaCppDir: path.resolve('node_modules/node-llama-cpp/llama'), ...(gpu ? { cuda: true } : {}) })) as { binaries: Record<string, string>; cached: boolean; seconds: number; release: string };
  const benchBin = build.binaries['llama-bench']!;

  const pp = 128;
  const tg = 64;
  process.stderr.write('llama-bench …\n');
  const raw = execFileSync(benchBin, ['-m', model, '-p', String(pp), '-n', String(tg), '-t', String(threads), '-r', quick ? '2' : '3', '-o', 'json', ...(gpu ? ['-ngl', '99'] : ['-ngl', '0'])], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const rows = JSON.parse(raw) as { n_prompt: number; n_gen: number; avg_ts: number; model_n_params: number; model_type: string; backends?: string }[];
  const refPp = rows.find((r) => r.n_prompt > 0 && r.n_gen === 0)!.avg_ts;
  const refTg = rows.find((r) => r.n_gen > 0 && r.n_prompt === 0)!.avg_ts;
  const params = rows[0]!.model_n_params;

  const engine = new InferenceEngine({ threads, ...(gpu ? {} : { gpu: false }) });
  try {
    await engine.loadModel(model, gpu ? { gpuLayers: 'max' } : { gpuLayers: 0 });
    const backend = await engine.backendInfo();
    // One sequence: the same prompt length and generated tokens as llama-bench's tests.
    const long = prompts(1)[0]!;
    const single: { tps: number; ppTps: number }[] = [];
    await engine.generate({ modelPath: model, prompt: long, maxTokens: 8 }); // warm-up
    for (let r = 0; r < (quick ? 2 : 3); r++) {
      const res = await engine.generate({ modelPath: model, prompt: long, maxTokens: tg, contextSize: 2048 });
      single.push({ tps: res.tokensPerSecond, ppTps: (res.promptTokens * 1000) / Math.max(res.timeToFirstTokenMs, 1e-3) });
    }
    const ourTg = median(single.map((s) => s.tps));
    const ourPp = median(single.map((s) => s.ppTps));

    // Items/min on a fixed set of benchmark-shaped prompts, 1/2/4/8 sequences of one context.
    const set = prompts(quick ? 8 : 16);
    const perItemTokens = 48;
    const throughput: { parallel: number; itemsPerMin: number; seconds: number }[] = [];
    for (const parallel of [1, 2, 4, 8]) {
      const requests: GenerateRequest[] = set.map((p) => ({ modelPath: model, prompt: p, maxTokens: perItemTokens, contextSize: 1024 }));
      await engine.generateBatch(requests.slice(0, parallel), { parallel }); // context warm-up
      const t0 = performance.now();
      const results = await engine.generateBatch(requests, { parallel });
      const seconds = (performance.now() - t0) / 1000;
      const failed = results.filter((r) => r.status === 'rejected');
      if (failed.length) throw new Error(`parallel ${parallel}: ${failed.length} requests failed: ${(failed[0] as { reason: Error }).reason.message}`);
      throughput.push({ parallel, itemsPerMin: (set.length * 60) / seconds, seconds });
    }
    const base = throughput[0]!.itemsPerMin;
    const lines = [
      `Command: \`npm run bench:infer --${quick ? " --quick" : ""}${gpu ? " --gpu" : ""} --threads ${threads}\` · ${os.cpus().length} × ${os.cpus()[0]?.model.trim()} · ${threads} threads · backend ${backend.backend}${backend.deviceNames.length ? ` (${backend.deviceNames.join(', ')})` : ''} · node-llama-cpp llama.cpp ${backend.llamaCppRelease}, llama-bench ${build.release} · ${new Date().toISOString().slice(0, 10)}`,
      '',
      `Model: generated llama, ${(params / 1e6).toFixed(1)}M parameters, F16, ${sizeMb.toFixed(0)} MB (${SHAPE.layers} layers, embd ${SHAPE.embd}, ff ${SHAPE.ff}).`,
      '',
      '| | prompt tokens/s (pp128) | generation tokens/s (tg64) |',
      '|---|---:|---:|',
      `| llama-bench | ${refPp.toFixed(1)} | ${refTg.toFixed(1)} |`,
      `| MedTask engine, one sequence | ${ourPp.toFixed(1)} | ${ourTg.toFixed(1)} |`,
      '',
      `Our single-sequence generation is **${((ourTg / refTg) * 100).toFixed(1)}%** of llama-bench's (target ≥ 90%).`,
      '',
      `| parallel sequences | items/min (${set.length} prompts of 60–250 tokens, ${perItemTokens} tokens each) | × one sequence |`,
      '|---:|---:|---:|',
      ...throughput.map((t) => `| ${t.parallel} | ${t.itemsPerMin.toFixed(1)} | ${(t.itemsPerMin / base).toFixed(2)}× |`),
      '',
      `Target: 4 sequences ≥ 1.8× the items/min of 1 (here ${(throughput[2]!.itemsPerMin / base).toFixed(2)}×).`,
    ];
    const body = lines.join('\n');
    process.stdout.write(`${body}\n`);
    writePerfSection(`Inference (bench:infer${gpu ? ", GPU" : ", CPU"}, ${threads} thread${threads === 1 ? "" : "s"}${quick ? ", quick" : ""})`, body);
  } finally {
    await engine.dispose();
  }
}

await main();
