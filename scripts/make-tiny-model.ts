/**
 * make-tiny-model: writes a tiny deterministic llama GGUF (and optionally a matching LoRA adapter).
 *
 *   make-tiny-model OUT.gguf [--seed N] [--layers N] [--embd N] [--heads N] [--kv-heads N] [--ff N]
 *                   [--context N] [--name TEXT] [--no-chat-template]
 *                   [--lora OUT_LORA.gguf] [--lora-seed N] [--rank N] [--alpha X]
 *
 * Dependency-free; bundle with esbuild, e.g.
 *   esbuild scripts/make-tiny-model.ts --bundle --platform=node --format=esm --outfile=out/make-tiny-model.mjs
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeTinyLora, writeTinyModel } from '../test/tooling/tinyModel';
import type { TinyLoraOptions, TinyModelOptions } from '../test/tooling/tinyModel';

const USAGE = `usage: make-tiny-model OUT.gguf [--seed N] [--layers N] [--embd N] [--heads N] [--kv-heads N] [--ff N]
                       [--context N] [--name TEXT] [--no-chat-template]
                       [--lora OUT_LORA.gguf] [--lora-seed N] [--rank N] [--alpha X]`;

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`--${name} must be an integer, got "${v}"`);
  return n;
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      seed: { type: 'string' },
      layers: { type: 'string' },
      embd: { type: 'string' },
      heads: { type: 'string' },
      'kv-heads': { type: 'string' },
      ff: { type: 'string' },
      context: { type: 'string' },
      name: { type: 'string' },
      'no-chat-template': { type: 'boolean' },
      lora: { type: 'string' },
      'lora-seed': { type: 'string' },
      rank: { type: 'string' },
      alpha: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const out = positionals[0];
  if (!out || positionals.length > 1) throw new Error(USAGE);

  const model: TinyModelOptions = {};
  const set = <K extends keyof TinyModelOptions>(k: K, v: TinyModelOptions[K] | undefined): void => {
    if (v !== undefined) model[k] = v;
  };
  set('seed', int('seed', values.seed));
  set('layers', int('layers', values.layers));
  set('embd', int('embd', values.embd));
  set('heads', int('heads', values.heads));
  set('kvHeads', int('kv-heads', values['kv-heads']));
  set('ff', int('ff', values.ff));
  set('contextLength', int('context', values.context));
  set('name', values.name);
  if (values['no-chat-template']) model.chatTemplate = false;

  const modelPath = resolve(out);
  const bytes = await writeTinyModel(modelPath, model);
  console.log(`wrote ${modelPath} (${bytes} bytes)`);

  if (values.lora) {
    const lora: TinyLoraOptions = {};
    const seed = int('lora-seed', values['lora-seed']);
    const rank = int('rank', values.rank);
    if (seed !== undefined) lora.seed = seed;
    if (rank !== undefined) lora.rank = rank;
    if (values.alpha !== undefined) {
      const alpha = Number(values.alpha);
      if (!Number.isFinite(alpha)) throw new Error(`--alpha must be a number, got "${values.alpha}"`);
      lora.alpha = alpha;
    }
    const loraPath = resolve(values.lora);
    const loraBytes = await writeTinyLora(loraPath, model, lora);
    console.log(`wrote ${loraPath} (${loraBytes} bytes)`);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
