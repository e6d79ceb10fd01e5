/**
 * Reference mode on a MedS-Bench CSV: missing cells as pandas reads them (NaN), with the
 * report saying where a script would raise; corrected mode and non-CSV sets unchanged;
 * the Punkt note where NLTK's model is not installed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PUNKT_MISSING_NOTE, isPandasNa, readPredictionsFile, scorePredictionSet, serialiseMedsBenchCsv, type MedsBenchRow } from '../../src/core/predictions';
import { tempDir } from '../helpers';

const csvOf = (rows: [string, string, string][]): string =>
  serialiseMedsBenchCsv(rows.map(([taskId, gt, output]): MedsBenchRow => ({ taskId, input: 'prompt', gt, output })));

async function score(rows: [string, string, string][], mode: 'reference' | 'corrected') {
  const dir = tempDir();
  const file = path.join(dir, 'res_model.csv');
  fs.writeFileSync(file, csvOf(rows));
  return scorePredictionSet(await readPredictionsFile(file), { mode });
}

const savedNltk = process.env.NLTK_DATA;
afterEach(() => {
  if (savedNltk === undefined) delete process.env.NLTK_DATA;
  else process.env.NLTK_DATA = savedNltk;
});

describe('pandas NA in reference mode', () => {
  it('knows pandas default NA strings and nothing else', () => {
    for (const s of ['', 'NA', 'N/A', 'None', 'null', 'NaN', 'nan', 'n/a', '#N/A', '<NA>', 'NULL', '-nan', '1.#QNAN']) expect(isPandasNa(s)).toBe(true);
    for (const s of [' ', 'none', 'Na', 'N.A.', '0', 'no']) expect(isPandasNa(s)).toBe(false);
  });

  it("task123: an empty answer is str(nan) = 'nan', so it counts as 'no'; corrected mode keeps the empty text", async () => {
    const rows: [string, string, string][] = [
      ['task123', 'The right answer is no', ''],
      ['task123', 'The right answer is no', 'None'],
      ['task123', 'The right answer is yes', 'NA'],
    ];
    expect((await score(rows, 'reference')).tasks[0]!.metrics.mcqAccuracy).toBeCloseTo((100 * 2) / 3, 12);
    expect((await score(rows, 'corrected')).tasks[0]!.metrics.mcqAccuracy).toBe(0);
  });

  it('Explanation and NER skip rows with a NaN output; the count says how many pairs were scored', async () => {
    const r = await score(
      [
        ['task18', 'Aspirin inhibits COX.', 'Aspirin inhibits COX.'],
        ['task18', 'Heparin is an anticoagulant.', 'N/A'],
        ['task125', 'aspirin, heparin.', 'aspirin, heparin.'],
        ['task125', 'warfarin.', 'null'],
      ],
      'reference',
    );
    const t18 = r.tasks.find((t) => t.task === 'task18')!;
    const t125 = r.tasks.find((t) => t.task === 'task125')!;
    expect(t18.count).toBe(1);
    expect(t18.metrics.pyRougeL).toBeCloseTo(100, 5);
    expect(t18.note).toMatch(/1 row\(s\) skipped/);
    expect(t125.count).toBe(1);
    expect(t125.metrics.nerRecall).toBe(100);
  });

  it('says where the reference script would raise (summarisation with an empty output) and scores the text', async () => {
    const r = await score(
      [
        ['task114', 'What causes gout?', 'What causes gout?'],
        ['task114', 'Is aspirin safe?', ''],
      ],
      'reference',
    );
    expect(r.tasks[0]!.count).toBe(2);
    expect(r.tasks[0]!.note).toMatch(/raises on a NaN cell \(line 3\)/);
  });
});

describe('Punkt model missing', () => {
  it('English BLEU falls back to the approximation and the report says so; zh alone does not', async () => {
    const empty = tempDir();
    process.env.NLTK_DATA = empty;
    const home = process.env.HOME;
    process.env.HOME = empty; // ~/nltk_data must not be found either
    try {
      const { punktModel } = await import('../../src/core/metrics');
      if (punktModel() !== null) {
        console.log(`Punkt model found in a system folder (${punktModel()!.dir}); the "missing" case cannot be shown here`);
        return;
      }
      const en = await score([['task52', 'Dr. Smith gave aspirin. He was fine.', 'Dr. Smith gave aspirin.']], 'reference');
      expect(en.notes).toEqual([PUNKT_MISSING_NOTE]);
      expect(en.tasks[0]!.metrics.bleu1).toBeGreaterThan(0);
      const zh = await score([['task51', '患者胸痛。', '患者胸痛。']], 'reference');
      expect(zh.notes).toEqual([]);
    } finally {
      process.env.HOME = home;
    }
  });
});
