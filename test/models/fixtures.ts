import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GgufWriter } from '../tooling/ggufWriter';
import { writeTinyLora, writeTinyModel } from '../tooling/tinyModel';
import type { TinyModelOptions } from '../tooling/tinyModel';

export const TINY: TinyModelOptions = { seed: 7, layers: 2, embd: 64, heads: 4, kvHeads: 2, ff: 128 };

export interface Fixtures {
  dir: string;
  model: string;
  lora: string;
  /** LoRA built for a different width (embd 32): same architecture, wrong shapes. */
  loraWrongShape: string;
  notGguf: string;
  truncatedHeader: string;
  truncatedData: string;
  unsupportedArch: string;
  missing: string;
  cleanup: () => Promise<void>;
}

export async function makeFixtures(): Promise<Fixtures> {
  const dir = await mkdtemp(join(tmpdir(), 'medtask-tiny-'));
  const model = join(dir, 'tiny.gguf');
  const lora = join(dir, 'tiny-lora.gguf');
  const loraWrongShape = join(dir, 'tiny-lora-embd32.gguf');
  await writeTinyModel(model, TINY);
  await writeTinyLora(lora, TINY, { seed: 3, rank: 4, alpha: 8 });
  await writeTinyLora(loraWrongShape, { ...TINY, embd: 32, heads: 4, kvHeads: 2 }, { seed: 3, rank: 4 });

  const notGguf = join(dir, 'notes.gguf');
  await writeFile(notGguf, 'This is a plain text file, not a model.\n'.repeat(20));
  const bytes = await readFile(model);
  const truncatedHeader = join(dir, 'truncated-header.gguf');
  await writeFile(truncatedHeader, bytes.subarray(0, 3000));
  const truncatedData = join(dir, 'truncated-data.gguf');
  await writeFile(truncatedData, bytes.subarray(0, bytes.length - 4096));
  const unsupportedArch = join(dir, 'frobnicator.gguf');
  const w = new GgufWriter();
  w.string('general.architecture', 'frobnicator').string('general.name', 'not a real architecture').u32('frobnicator.context_length', 128);
  w.addTensor('token_embd.weight', [4, 4], new Float32Array(16));
  await w.write(unsupportedArch);

  return {
    dir,
    model,
    lora,
    loraWrongShape,
    notGguf,
    truncatedHeader,
    truncatedData,
    unsupportedArch,
    missing: join(dir, 'does-not-exist.gguf'),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
