/**
 * The prompt shape of a MedS-Bench 3-shot run, from real items: prompts built the way runs build them
 * (src/core/prompts/medsBench.ts, three demonstrations drawn per item) for the MedS-Bench-layout tasks in
 * ../shared/data, measured in estimated Llama-3 tokens; the bench then writes prompts of those lengths.
 */
import fs from 'node:fs';
import path from 'node:path';
import { medsBenchPrompt } from '../../src/core/prompts/medsBench';
import { firstOutput } from '../../src/core/prompts/sampling';

/**
 * Llama-3's 128k BPE vocabulary averages about 4 characters per token on English prose (its model card:
 * ~15% fewer tokens than Llama 2's ~3.5 characters). No Llama-3 tokenizer is at hand here, so counts are
 * estimates; the chat template adds ~10 tokens per message.
 */
export const CHARS_PER_TOKEN = 4;
const TEMPLATE_TOKENS = 20;

export interface MedsItemShape {
  task: string;
  promptTokens: number;
  outputTokens: number;
}

interface MedsFile {
  Definition: string[];
  Instances: { input: string; output: string | string[] }[];
}

/** `perTask` items of each MedS-Bench-layout task found under `dataDir` (3-shot, seeded like a run). */
export function medsBenchShapes(dataDir: string, perTask = 12): MedsItemShape[] {
  const out: MedsItemShape[] = [];
  const root = path.join(dataDir, 'meds-bench');
  if (!fs.existsSync(root)) throw new Error(`no MedS-Bench data at ${root} (the shared data folder); cannot compute the 3-shot prompt shape`);
  for (const category of fs.readdirSync(root).sort()) {
    for (const name of fs.readdirSync(path.join(root, category)).sort()) {
      if (!name.endsWith('.json')) continue;
      const json = JSON.parse(fs.readFileSync(path.join(root, category, name), 'utf8')) as MedsFile;
      const pool = json.Instances.map((x, i) => ({ key: i, input: x.input, output: x.output }));
      for (const query of pool.slice(0, perTask)) {
        const messages = medsBenchPrompt(query, { k: 3, seed: 1, definition: json.Definition[0] ?? '', mode: 'reference', pool });
        const chars = messages.reduce((a, m) => a + m.content.length, 0);
        out.push({
          task: name.replace(/\.json$/, ''),
          promptTokens: Math.round(chars / CHARS_PER_TOKEN) + TEMPLATE_TOKENS,
          outputTokens: Math.max(4, Math.round(firstOutput(query.output).length / CHARS_PER_TOKEN) + 1),
        });
      }
    }
  }
  return out;
}

export function describeShapes(shapes: readonly MedsItemShape[]): string {
  const sorted = shapes.map((s) => s.promptTokens).sort((a, b) => a - b);
  const q = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const tasks = [...new Set(shapes.map((s) => s.task))];
  return `${shapes.length} items of ${tasks.join(', ')}: prompts ${sorted[0]}–${sorted.at(-1)} estimated tokens (median ${q(0.5)}, p90 ${q(0.9)}, mean ${mean(sorted).toFixed(0)}), answers ${mean(shapes.map((s) => s.outputTokens)).toFixed(0)} tokens on average`;
}
