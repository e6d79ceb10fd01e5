/**
 * A synthetic corpus shaped like MedINST: 133 tasks in the MedINST JSON Lines layout
 * (`<Config>/<split>.jsonl`), task sizes skewed like the real ones, inputs of 50–8,000
 * characters and outputs of 1–2,000 (log-normal, clipped), words from a fixed vocabulary.
 * Seeded: the same arguments write the same bytes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { mulberry32 } from '../../src/core/random';

export { mulberry32 };

const SYLLABLES = [
  'ar',
  'bi',
  'car',
  'dio',
  'en',
  'fib',
  'gen',
  'hep',
  'in',
  'ka',
  'lip',
  'my',
  'neu',
  'os',
  'pa',
  'quin',
  'ren',
  'sta',
  'tox',
  'ur',
  'vas',
  'xan',
  'zo',
  'cyt',
  'ase',
  'ine',
  'ol',
  'ide',
  'oma',
  'itis',
];
const COMMON = [
  'the',
  'of',
  'and',
  'in',
  'patients',
  'with',
  'was',
  'were',
  'to',
  'a',
  'for',
  'study',
  'treatment',
  'disease',
  'cells',
  'protein',
  'expression',
  'clinical',
  'results',
  'significant',
];

export function vocabulary(size: number, rand: () => number): string[] {
  const words = new Set<string>(COMMON);
  while (words.size < size) {
    const n = 2 + Math.floor(rand() * 3);
    let w = '';
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(rand() * SYLLABLES.length)];
    words.add(w);
  }
  return [...words];
}

function logNormalLength(rand: () => number, median: number, sigma: number, min: number, max: number): number {
  const u = Math.max(rand(), 1e-12);
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  return Math.min(max, Math.max(min, Math.round(median * Math.exp(sigma * z))));
}

function text(rand: () => number, vocab: string[], chars: number): string {
  let s = '';
  while (s.length < chars) {
    // Zipf-like: common words often, the long tail rarely.
    const r = rand();
    const i = r < 0.35 ? Math.floor(rand() * COMMON.length) : Math.floor(Math.pow(rand(), 2) * vocab.length);
    s += (s ? ' ' : '') + vocab[i];
  }
  return s.slice(0, chars);
}

export const TASKS = 133;

export interface CorpusInfo {
  dir: string;
  rows: number;
  bytes: number;
  files: string[];
  queries: string[];
}

export function writeCorpus(dir: string, rows: number, seed = 7): CorpusInfo {
  const rand = mulberry32(seed);
  const vocab = vocabulary(20_000, rand);
  // Task sizes: a few huge tasks, many small ones (like BIOMRC vs BIOSSES).
  const weights = Array.from({ length: TASKS }, (_, i) => 1 / Math.pow(i + 1, 0.9));
  const sum = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.max(1, Math.floor((w / sum) * rows)));
  sizes[0]! += rows - sizes.reduce((a, b) => a + b, 0);
  fs.rmSync(dir, { recursive: true, force: true });
  const files: string[] = [];
  let bytes = 0;
  for (let t = 0; t < TASKS; t++) {
    const config = `Synthetic-Task-${String(t + 1).padStart(3, '0')}`;
    const instruction = `Given the biomedical text, ${text(rand, vocab, 40 + Math.floor(rand() * 260))}.`;
    const file = path.join(dir, config, 'train.jsonl');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const fd = fs.openSync(file, 'w');
    let buf = '';
    for (let r = 0; r < sizes[t]!; r++) {
      const input = text(rand, vocab, logNormalLength(rand, 260, 1.0, 50, 8000));
      const output = text(rand, vocab, logNormalLength(rand, 18, 1.4, 1, 2000));
      buf += `${JSON.stringify({ instruction, input, output })}\n`;
      if (buf.length > 1 << 20) {
        bytes += fs.writeSync(fd, buf);
        buf = '';
      }
    }
    bytes += fs.writeSync(fd, buf);
    fs.closeSync(fd);
    files.push(file);
  }
  // Fixed query set: common words, rare words, two-word AND, a phrase and a prefix.
  const queries = [
    'patients',
    'treatment',
    vocab[100]!,
    vocab[1000]!,
    vocab[5000]!,
    vocab[15000]!,
    `${vocab[30]!} ${vocab[300]!}`,
    `"${COMMON[0]} ${COMMON[1]}"`,
    `${vocab[200]!.slice(0, 4)}*`,
    `clinical ${vocab[2000]!}`,
  ];
  return { dir, rows, bytes, files, queries };
}

/**
 * One big task file in the MedINST32 `unseen_tests/<Task>.json` shape (JSON Lines, keys
 * instruction/input/output/history as in the real files), records of about `recordBytes`:
 * the single-big-file import that a user does with `medtask import file.json`.
 */
export function writeSingleTaskFile(dir: string, rows: number, recordBytes = 1000, seed = 11): CorpusInfo {
  const rand = mulberry32(seed);
  const vocab = vocabulary(20_000, rand);
  fs.rmSync(dir, { recursive: true, force: true });
  const file = path.join(dir, 'unseen_tests', 'Synthetic-Big-Task.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const instruction = 'Answer the biomedical research question based on the context. Respond with yes, no, or maybe.';
  const inputChars = recordBytes - instruction.length - 60;
  const fd = fs.openSync(file, 'w');
  let buf = '';
  let bytes = 0;
  for (let r = 0; r < rows; r++) {
    const input = `Question: ${text(rand, vocab, 60 + Math.floor(rand() * 40))}?\nContext: ${text(rand, vocab, Math.max(50, inputChars - 110 + Math.floor(rand() * 40) - 20))}`;
    const output = ['yes', 'no', 'maybe'][Math.floor(rand() * 3)]!;
    buf += `${JSON.stringify({ instruction, input, output, history: [] })}\n`;
    if (buf.length > 1 << 20) {
      bytes += fs.writeSync(fd, buf);
      buf = '';
    }
  }
  bytes += fs.writeSync(fd, buf);
  fs.closeSync(fd);
  return { dir, rows, bytes, files: [file], queries: [] };
}
