// Runs for annotation tests without a model: MedINST32 results files over real PubMedQA items, imported as runs.
import fs from 'node:fs';
import path from 'node:path';
import type { MedtaskCore } from '../../src/core/service';
import { data, readRecords } from '../helpers';

export const PUBMEDQA_ZS = data('medinst32/unseen_tests_zs/PubMedQA-labeled.json');

export function pubmedGold(n: number): string[] {
  return readRecords<{ output: string }>(PUBMEDQA_ZS)
    .slice(0, n)
    .map((r) => r.output);
}

/** A results file whose prediction for item i is `answer(i, gold)`. */
export function writePredictions(dir: string, name: string, n: number, answer: (i: number, gold: string) => string): string {
  const golds = pubmedGold(n);
  const file = path.join(dir, `${name}.json`);
  const generated = golds.map((g, i) => ({ prediction: answer(i, g), target: g }));
  fs.writeFileSync(file, JSON.stringify({ QA: { 'PubMedQA-labeled': { generated } } }, null, 2));
  return file;
}

const other = (g: string) => (g === 'yes' ? 'no' : 'yes');

/** Run A right everywhere; run B wrong on items 1, 3 and 5. */
export async function twoRuns(core: MedtaskCore, dir: string, n = 8) {
  const a = await core.handlers.importPredictions({ file: writePredictions(dir, 'model-alpha', n, (_, g) => g), name: 'alpha run' });
  const b = await core.handlers.importPredictions({
    file: writePredictions(dir, 'model-beta', n, (i, g) => ([1, 3, 5].includes(i) ? other(g) : g)),
    name: 'beta run',
  });
  return { a, b };
}
