/**
 * What `bench:infer -- --gpu` needs besides the measurements: the CUDA tool check and builds (llama.cpp's
 * tools and node-llama-cpp's binding, from the bundled source only), and the 8B-shaped MedS-Bench 3-shot
 * items/min. With --dry-run the same steps run on CPU at minimal sizes, so the command is known to work.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InferenceEngine } from '../../src/core/inference/engine';
import type { GenerateRequest } from '../../src/core/inference/types';
import { buildTinyVocab } from '../../test/tooling/tinyModel';
import { LLAMA3_8B, shapedModelHeader, writeShapedModel } from '../../test/tooling/shapedModel';
import { buildLlama, checkBuildTools, llamaBuildPaths, llamaSourceInfo } from '../llamaBuild.mjs';
import { mulberry32 } from './corpus';
import { describeShapes, medsBenchShapes } from './medsShape';

const log = (s: string): void => void process.stderr.write(`${s}\n`);

/**
 * The tools `--gpu` builds with. Without nvcc a real run stops here with what to install; a dry run says
 * that CUDA is absent and goes on with the CPU build (cached), which proves the same build path works.
 */
export async function gpuToolchain(dryRun: boolean): Promise<{ cuda: boolean; notes: string[] }> {
  const tools = checkBuildTools({ cuda: true }) as { ok: boolean; missing: string[]; message: string | null; found: Record<string, string | null> };
  tools.found.nvcc = spawnSync('sh', ['-c', 'command -v nvcc'], { encoding: 'utf8' }).stdout.trim() || null;
  const notes: string[] = [];
  const nonCuda = tools.missing.filter((t) => t !== 'nvcc');
  if (nonCuda.length) throw new Error(tools.message ?? `missing build tools: ${nonCuda.join(', ')}`);
  notes.push(`build tools: cmake ${tools.found.cmake}, c++ ${tools.found['c++']}, ${tools.found.ninja ? 'ninja' : 'make'}`);
  const source = llamaSourceInfo({ nodeLlamaCppDir: path.resolve('node_modules/node-llama-cpp/llama') }) as { release: string; commit: string; bundle: string };
  notes.push(
    `llama.cpp source: node-llama-cpp's bundle ${path.relative(process.cwd(), source.bundle)} (release ${source.release}, ${source.commit.slice(0, 12)}); nothing is downloaded`,
  );
  const cuda = !tools.missing.includes('nvcc');
  const hasDriver = spawnSync('sh', ['-c', 'command -v nvidia-smi && nvidia-smi -L'], { encoding: 'utf8' }).status === 0;
  if (cuda && dryRun) {
    // Compiling llama.cpp's CUDA kernels takes an hour on 2 CPU cores; configuring proves CUDA is found and
    // accepted. An explicit architecture (H100: 90) because "native" needs a GPU to ask.
    const paths = llamaBuildPaths({ cuda: true, nodeLlamaCppDir: path.resolve('node_modules/node-llama-cpp/llama') }) as { srcDir: string; args: string[] };
    if (!fs.existsSync(path.join(paths.srcDir, 'CMakeLists.txt'))) {
      notes.push(`CUDA toolkit found (${tools.found.nvcc ?? 'nvcc'}); llama.cpp's source is not extracted yet, so the CUDA configure check was skipped`);
    } else {
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'medtask-cuda-configure-'));
      try {
        const args = paths.args.map((a) => (a === '-DCMAKE_CUDA_ARCHITECTURES=native' ? '-DCMAKE_CUDA_ARCHITECTURES=90' : a));
        const t = performance.now();
        const r = spawnSync('cmake', ['-S', paths.srcDir, '-B', tmp, '-G', tools.found.ninja ? 'Ninja' : 'Unix Makefiles', ...args], {
          encoding: 'utf8',
          timeout: 300_000,
        });
        const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
        const compiler = /The CUDA compiler identification is (.*)/.exec(out)?.[1] ?? 'unknown';
        if (r.status !== 0) {
          // Reported, not thrown: the dry run's job is to find this before a GPU is at hand.
          const missing = [...new Set([...out.matchAll(/links to:\s+(\S+)/g)].map((m) => m[1]))];
          const why = missing.length
            ? `the toolkit lacks ${missing.join(', ')}`
            : out
                .split('\n')
                .filter((l) => /error/i.test(l))
                .slice(0, 3)
                .join(' / ');
          notes.push(
            `**WARNING**: CUDA toolkit found (nvcc: ${compiler}) but llama.cpp does not configure with -DGGML_CUDA=ON: ${why}. A --gpu run with this toolkit would fail at this step; install the missing CUDA libraries (e.g. cuBLAS: the nvidia-cublas package or the toolkit's libcublas-dev) first.`,
          );
        } else
          notes.push(
            `CUDA toolkit found (nvcc: ${compiler}); llama.cpp configures with -DGGML_CUDA=ON (checked with -DCMAKE_CUDA_ARCHITECTURES=90 in ${((performance.now() - t) / 1000).toFixed(0)} s; not compiled: the kernels take about an hour on this CPU)`,
          );
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    }
    notes.push(
      hasDriver ? 'an NVIDIA driver and device are present' : 'no NVIDIA driver or GPU on this machine (no nvidia-smi): nothing can be measured on a GPU here',
    );
  }
  if (!cuda) {
    const msg = 'CUDA is absent on this machine (no nvcc on PATH, so no CUDA toolkit to build with)';
    if (!dryRun) throw new Error(`--gpu: ${msg}. Install the CUDA toolkit, or run \`npm run bench:infer -- --gpu --dry-run\` to check everything else on CPU.`);
    notes.push(
      `${msg}: a real --gpu run would configure llama.cpp with -DGGML_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES=native and build node-llama-cpp's binding with \`node-llama-cpp source download --gpu cuda\`; the dry run builds the CPU tools instead`,
    );
  }
  const build = (await buildLlama({
    targets: ['llama-bench', 'llama-batched-bench'],
    nodeLlamaCppDir: path.resolve('node_modules/node-llama-cpp/llama'),
    ...(cuda && !dryRun ? { cuda: true } : {}),
  })) as { cached: boolean; seconds: number };
  notes.push(
    `llama-bench and llama-batched-bench (${cuda && !dryRun ? 'CUDA' : 'CPU'}): ${build.cached ? 'cached' : `built in ${build.seconds.toFixed(0)} s`}`,
  );
  return { cuda, notes };
}

/** Runs node-llama-cpp's own CLI (a child process, so a failed build leaves this process and the prebuilt binaries intact). */
function nodeLlamaCppCli(args: string[]): Promise<void> {
  const cli = path.resolve('node_modules/node-llama-cpp/dist/cli/cli.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`node-llama-cpp ${args.join(' ')} exited with ${code}`))));
  });
}

/**
 * The engine's CUDA backend: node-llama-cpp's prebuilt CUDA binding when it loads on this machine, else
 * one built here from the bundled source (`source download` clones the bundle: registry only, no GitHub).
 * Dry run: checks that the CLI and the bundle are there and says what would run.
 */
export async function ensureCudaEngine(dryRun: boolean): Promise<string> {
  const cli = path.resolve('node_modules/node-llama-cpp/dist/cli/cli.js');
  if (!fs.existsSync(cli)) throw new Error(`node-llama-cpp's CLI is missing (${cli}); run npm install`);
  const args = ['source', 'download', '--gpu', 'cuda'];
  if (dryRun) return `node-llama-cpp CLI present; a CUDA machine whose prebuilt CUDA binding does not load would run \`node-llama-cpp ${args.join(' ')}\``;
  const probe = async (): Promise<string> => {
    const engine = new InferenceEngine({ gpu: 'cuda' });
    try {
      return (await engine.backendInfo()).backend;
    } catch {
      return 'none';
    } finally {
      await engine.dispose();
    }
  };
  if ((await probe()) === 'cuda') return 'node-llama-cpp prebuilt CUDA binding';
  log(`no CUDA binding loads: building node-llama-cpp from the bundled llama.cpp source (node-llama-cpp ${args.join(' ')}) …`);
  await nodeLlamaCppCli(args);
  if ((await probe()) !== 'cuda') throw new Error('node-llama-cpp was built with CUDA but its CUDA backend still does not load (driver? device?)');
  return 'node-llama-cpp CUDA binding built here from the bundled source';
}

function vocabWords(): string[] {
  return buildTinyVocab()
    .tokens.filter((t) => t.startsWith('\u2581') && t.length > 2)
    .map((t) => t.slice(1));
}

export interface ShapedRunResult {
  lines: string[];
}

/**
 * Items/min of a MedS-Bench 3-shot run on the 8B-shaped model: prompts of the real items' lengths (each
 * item its own three demonstrations, so nothing is shared between items), answers of their lengths.
 * GPU: the full 32 layers, 1/4/8/16 sequences. Dry run (CPU, the bench's threads): one layer, three items cut to
 * 64 prompt tokens, 1 and 2 sequences: a self-check, not a figure of a real model.
 */
export async function shaped8b(opts: { gpu: boolean; dryRun: boolean; cpuThreads?: number; allLayers?: boolean }): Promise<ShapedRunResult> {
  const shape = opts.dryRun && !opts.allLayers ? { ...LLAMA3_8B, name: 'llama3-8b-shaped-1-layer', layers: 1 } : LLAMA3_8B;
  const { header, dataBytes } = shapedModelHeader(shape);
  const size = header.length + dataBytes;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medtask-8b-'));
  const stat = fs.statfsSync(dir);
  const free = stat.bavail * stat.bsize;
  if (free < size + 1e9) throw new Error(`the 8B-shaped model needs ${(size / 1e9).toFixed(1)} GB in ${dir}; only ${(free / 1e9).toFixed(1)} GB free`);
  const file = path.join(dir, `${shape.name}.gguf`);
  const engine = new InferenceEngine({ gpu: opts.gpu ? 'cuda' : false, ...(opts.dryRun ? { threads: opts.cpuThreads ?? 2 } : {}) });
  try {
    const t0 = performance.now();
    await writeShapedModel(file, shape, (f) => process.stderr.write(`\rwriting ${shape.name} (${(size / 1e9).toFixed(2)} GB): ${(f * 100).toFixed(0)}%`));
    process.stderr.write('\n');
    const writeS = (performance.now() - t0) / 1000;
    const loaded = await engine.loadModel(file, { gpuLayers: opts.gpu ? 'max' : 0 });
    const all = medsBenchShapes(path.resolve('../shared/data'));
    const items = opts.dryRun ? all.filter((_, i) => i % 8 === 0).slice(0, 3) : all;
    const rand = mulberry32(3);
    const words = vocabWords();
    const requests: GenerateRequest[] = items.map((it) => {
      const n = opts.dryRun ? Math.min(64, it.promptTokens) : it.promptTokens;
      // One vocabulary word is one token; BOS makes up the last one.
      const prompt = Array.from({ length: n - 1 }, () => words[Math.floor(rand() * words.length)]).join(' ');
      return { modelPath: file, prompt, maxTokens: opts.dryRun ? 4 : it.outputTokens, contextSize: 2048, temperature: 0 };
    });
    const levels = opts.gpu ? [1, 4, 8, 16] : [1, 2];
    const rows: string[] = [];
    for (const parallel of levels) {
      const t = performance.now();
      const results = await engine.generateBatch(requests, { parallel });
      const seconds = (performance.now() - t) / 1000;
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw new Error(`8B shape, parallel ${parallel}: ${(failed as { reason: Error }).reason.message}`);
      const ok = results.map((r) => (r as { value: { promptTokens: number; outputTokens: number } }).value);
      const promptTokens = ok.reduce((a, r) => a + r.promptTokens, 0);
      const outTokens = ok.reduce((a, r) => a + r.outputTokens, 0);
      rows.push(
        `| ${parallel} | ${((items.length * 60) / seconds).toFixed(opts.dryRun ? 2 : 1)} | ${(promptTokens / items.length).toFixed(0)} | ${(outTokens / items.length).toFixed(1)} |`,
      );
    }
    const backend = await engine.backendInfo();
    const label = opts.dryRun
      ? `**CPU self-check, not a GPU figure**: ${shape.layers === 32 ? 'all 32 layers' : '1 of 32 layers at full width (embd 4096, ff 14336, vocab 128256)'}, ${opts.cpuThreads ?? 2} thread(s), ${items.length} items with prompts cut to ≤ 64 tokens and 4 generated tokens`
      : `GPU (${backend.deviceNames.join(', ') || backend.backend}), all 32 layers offloaded (${loaded.gpuLayers} layers on the GPU), ${items.length} items`;
    return {
      lines: [
        `8B-shaped model (Llama-3-8B hyper-parameters, Q4_K_M tensor types and sizes, untrained weights; ${(size / 1e9).toFixed(2)} GB written in ${writeS.toFixed(0)} s to a temporary directory, deleted afterwards): ${label}.`,
        '',
        `MedS-Bench 3-shot shape from real items (prompts built as runs build them, lengths in estimated Llama-3 tokens at 4 characters per token): ${describeShapes(all)}.`,
        '',
        '| parallel sequences | items/min | prompt tokens per item | generated tokens per item |',
        '|---:|---:|---:|---:|',
        ...rows,
      ],
    };
  } finally {
    await engine.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
