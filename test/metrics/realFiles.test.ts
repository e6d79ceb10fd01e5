/**
 * Scores the real MedINST32 / MedS-Bench sample files in shared/data with
 * gold-as-prediction (perfect scores) and with a deterministic perturbation
 * whose expected values were computed by the Python references
 * (golden/generate_golden.py).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOLDEN } from './golden/goldenValues';
import { scoreTask, mcqAccuracy, pyRougeLPair } from '../../src/core/metrics';

const DATA = process.env.MEDTASK_SHARED_DATA ?? path.resolve(__dirname, '../../../shared/data');
const HAVE = fs.existsSync(path.join(DATA, 'medinst32/unseen_tests/PubMedQA-labeled.json'));
if (!HAVE) console.log(`SKIPPED real-file scoring tests: the benchmark files are not at ${DATA} (../shared/data beside the repository)`);
const TOL = 1e-9;

interface Rec {
  output: string;
  input: string;
}
const jsonl = (p: string): Rec[] =>
  fs
    .readFileSync(path.join(DATA, p), 'utf8')
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as Rec);

// Same perturbations as generate_golden.py.
const LABELS = ['yes', 'no', 'maybe'];
const perturbPubmedqa = (i: number, g: string): string =>
  i % 3 === 0 ? g : i % 3 === 1 ? (LABELS.includes(g) ? LABELS[(LABELS.indexOf(g) + 1) % 3]! : 'yes') : `The answer is ${g}.`;
const perturbBio = (i: number, g: string): string => {
  if (i % 5 === 0) {
    const t = g.split(' ');
    return t.slice(0, Math.floor(t.length / 2)).join(' ');
  }
  if (i % 2 === 1) return g.replace('[B]', '[O]');
  return g.replaceAll('[I]', '[B]');
};
const perturbHoc = (i: number, g: string): string => {
  const l = g.split(', ');
  if (i % 4 === 0) return g;
  if (i % 4 === 1) return l.length > 1 ? l.slice(0, -1).join(', ') : 'none';
  if (i % 4 === 2) return g.toUpperCase() + ', extra label';
  return [...l].reverse().join(', ');
};

const KEYS: Record<string, Record<string, string>> = {
  'PubMedQA-labeled': { rouge: 'rougeL', f1: 'wordF1', label_level_f1: 'labelMacroF1' },
  'NCBI-disease': { rouge: 'rougeL', f1: 'wordF1', label_leval_f1: 'bioTagF1' },
  'Hallmarks-of-Cancer': { rouge: 'rougeL', f1: 'wordF1', entity_level_f1: 'multiLabelF1' },
};

describe.skipIf(!HAVE)('real MedINST32 files', () => {
  const cases: [string, Rec[], (i: number, g: string) => string][] = HAVE
    ? [
        ['PubMedQA-labeled', jsonl('medinst32/unseen_tests/PubMedQA-labeled.json'), perturbPubmedqa],
        ['NCBI-disease', JSON.parse(fs.readFileSync(path.join(DATA, 'medinst32/unseen_tests/NCBI-disease.json'), 'utf8')) as Rec[], perturbBio],
        ['Hallmarks-of-Cancer', jsonl('medinst32/unseen_tests/Hallmarks-of-Cancer.json'), perturbHoc],
      ]
    : [];
  for (const [task, recs, perturb] of cases) {
    const golds = recs.map((r) => r.output);
    const want = (GOLDEN.medinstReal as Record<string, { gold: Record<string, number>; perturbed: Record<string, number> }>)[task]!;
    it(`${task}: gold as prediction is perfect`, () => {
      const got = scoreTask('medinst32', task, golds, golds);
      for (const [k, v] of Object.entries(want.gold)) {
        expect(v).toBe(1);
        expect(got[KEYS[task]![k] as keyof typeof got]).toBeCloseTo(1, 12);
      }
    });
    it(`${task}: perturbed predictions match the Python reference`, () => {
      const preds = golds.map((g, i) => perturb(i, g));
      const got = scoreTask('medinst32', task, preds, golds);
      for (const [k, v] of Object.entries(want.perturbed)) {
        const ours = got[KEYS[task]![k] as keyof typeof got];
        expect(Math.abs(ours! - v), `${k}: ${ours} vs ${v}`).toBeLessThan(TOL);
      }
    });
  }
});

describe.skipIf(!HAVE)('real MedS-Bench files', () => {
  it('task123 (PubMedQA, yes/no/maybe)', () => {
    const t = JSON.parse(fs.readFileSync(path.join(DATA, 'meds-bench/MCQA/task123_pubmedqa_test_set.json'), 'utf8')) as {
      Instances: { output: string | string[] }[];
    };
    const golds = t.Instances.map((i) => (Array.isArray(i.output) ? i.output[0]! : i.output));
    const p = golds.map((g, i) => (i % 4 === 0 ? g : i % 4 === 1 ? 'The right answer is no' : i % 4 === 2 ? 'Yes, because the context says so.' : 'maybe'));
    expect(mcqAccuracy(golds, golds, { taskId: 'task123' })).toBeCloseTo(GOLDEN.task123.gold, 9);
    // reference: the 55 'maybe' golds can never be right, even when predicted verbatim
    expect(GOLDEN.task123.gold).toBeCloseTo((100 * 445) / 500, 9);
    expect(scoreTask('meds-bench', 'task123_pubmedqa_test_set.json', p, golds).mcqAccuracy).toBeCloseTo(GOLDEN.task123.perturbed, 9);
    // corrected mode scores gold-as-prediction as perfect
    expect(scoreTask('meds-bench', 'task123', golds, golds, 'corrected').mcqAccuracy).toBe(100);
  });
  it('task114 (MeQSum): pltrdy ROUGE-L of gold and of the input as prediction', () => {
    const t = JSON.parse(fs.readFileSync(path.join(DATA, 'meds-bench/Text_summarization/task114_meqsum_summarization.json'), 'utf8')) as {
      Instances: { input: string; output: string }[];
    };
    const golds = t.Instances.map((i) => i.output);
    const inputs = t.Instances.map((i) => i.input);
    const mean = (f: (i: number) => number): number => {
      let s = 0;
      for (let i = 0; i < golds.length; i++) s += f(i);
      return (100 * s) / golds.length;
    };
    expect(Math.abs(mean((i) => pyRougeLPair(golds[i]!, golds[i]!)) - GOLDEN.task114.pyRougeGold)).toBeLessThan(TOL);
    expect(Math.abs(mean((i) => pyRougeLPair(inputs[i]!, golds[i]!)) - GOLDEN.task114.pyRougeInput)).toBeLessThan(TOL);
    expect(Math.abs(scoreTask('meds-bench', 'task114', inputs, golds).pyRougeL! - GOLDEN.task114.pyRougeInput)).toBeLessThan(TOL);
  });
});
