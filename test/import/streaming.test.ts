import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planImport } from '../../src/core/import/plan';
import { records, tempDir } from './helpers';

async function writeBig(file: string, n: number, array: boolean): Promise<void> {
  const ws = createWriteStream(file);
  const rec = {
    instruction: 'Tag each word β ≥.',
    input: 'x'.repeat(1500) + ' "q" \\ {b} [c]',
    output: 'y [O] '.repeat(100),
    history: [
      ['a', 'b'],
      ['c', 'd'],
    ],
  };
  const one = array ? JSON.stringify(rec, null, 2) : JSON.stringify(rec);
  if (array) ws.write('[\n');
  for (let i = 0; i < n; i++) {
    const s = array ? (i ? ',\n' : '') + one : one + '\n';
    if (!ws.write(s)) await new Promise<void>((r) => ws.once('drain', () => r()));
  }
  if (array) ws.write('\n]\n');
  await new Promise<void>((r) => ws.end(() => r()));
}

describe('streaming big files', () => {
  for (const array of [true, false]) {
    it(`a ~100 MB ${array ? 'JSON array' : 'JSON Lines file'} is read with bounded memory`, async () => {
      const dir = await tempDir();
      const file = path.join(dir, 'merged_train_100k.json');
      await writeBig(file, 45000, array);
      const p = records((await planImport([file]))[0]!);
      expect(p.totalBytes).toBeGreaterThan(90e6);
      const rss0 = process.memoryUsage().rss;
      let peak = rss0;
      let n = 0;
      for await (const r of p.read()) {
        if (++n % 2000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
        if (n === 1) expect(r.history).toHaveLength(2);
      }
      expect(n).toBe(45000);
      // reading the whole file at once would need far more than this (buffer + string + objects)
      expect(peak - rss0).toBeLessThan(150e6);
    }, 120_000);
  }
});
