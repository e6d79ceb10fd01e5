/**
 * Agreement with values computed once by the Python reference implementations
 * (test/metrics/golden/generate_golden.py → golden/goldenValues.ts).
 */
import { describe, expect, it } from 'vitest';
import { GOLDEN } from './golden/goldenValues';
import {
  porterStem,
  rougeScoreLPair,
  pyRougeLPair,
  sentenceBleu1,
  treebankTokenize,
  scoreTask,
  mcqAccuracy,
  nerMicroPrf,
  hocMacroPrf,
  substringAccuracy,
  trueFalseAccuracy,
} from '../../src/core/metrics';

const TOL = 1e-9;
type Pair = [string, string, number];

describe('golden: NLTK PorterStemmer (NLTK_EXTENSIONS)', () => {
  it(`stems ${GOLDEN.porter.length} words like NLTK`, () => {
    const bad: string[] = [];
    for (const [w, s] of GOLDEN.porter as [string, string][]) if (porterStem(w) !== s) bad.push(`${w}: ${porterStem(w)} != ${s}`);
    expect(bad).toEqual([]);
  });
});

describe('golden: rouge_score ROUGE-L', () => {
  it.each(GOLDEN.rougeScoreL.map((p, i) => [i, ...p] as [number, ...Pair]))('pair %i', (_i, pred, gold, want) => {
    expect(rougeScoreLPair(pred, gold)).toBeCloseTo(want, 9);
    expect(Math.abs(rougeScoreLPair(pred, gold) - want)).toBeLessThan(TOL);
  });
});

describe('golden: pltrdy rouge ROUGE-L', () => {
  it.each(GOLDEN.pyRougeL.map((p, i) => [i, ...p] as [number, ...Pair]))('pair %i', (_i, hyp, ref, want) => {
    expect(Math.abs(pyRougeLPair(hyp, ref) - want)).toBeLessThan(TOL);
  });
});

describe('golden: NLTK treebank tokenizer and BLEU-1', () => {
  it.each(GOLDEN.treebank.map((p) => p as [string, string[]]))('tokenizes %j', (s, toks) => {
    expect(treebankTokenize(s)).toEqual(toks);
  });
  it('sentence_bleu weights (1,0,0,0) + method1', () => {
    // the generator tokenised each explicit sentence; rebuild the same token lists here
    const cases: [string[], string[]][] = [
      [['The patient was given aspirin.'], ['The patient received aspirin.']],
      [["It is a test, isn't it?"], ['This is a test.']],
      [
        ['Dose: 5 mg (twice daily).', 'Monitor closely.'],
        ['Give 5 mg twice daily.', 'Monitor the patient closely.'],
      ],
      [['"Quoted" words -- and dashes...'], ['Quoted words and dashes.']],
      [['no overlap here'], ['completely different text']],
      [['We cannot say; gonna check @home #1 $5 & 10%.'], ['We can not say that.']],
      [['a a a a'], ['a']],
      [['short'], ['a much longer reference sentence with many words']],
    ];
    cases.forEach(([h, r], i) => {
      const want = (GOLDEN.bleu1[i] as Pair)[2];
      const got = sentenceBleu1(r.flatMap(treebankTokenize), h.flatMap(treebankTokenize));
      expect(Math.abs(got - want)).toBeLessThan(TOL);
    });
  });
});

function expectScores(got: Record<string, number | undefined>, want: Record<string, number>, keyMap: Record<string, string>): void {
  for (const [refKey, v] of Object.entries(want)) {
    const ours = keyMap[refKey];
    expect(ours, refKey).toBeDefined();
    const g = got[ours!];
    expect(g, `${refKey} → ${ours}`).toBeDefined();
    expect(Math.abs(g! - v), `${refKey}: ${g} vs ${v}`).toBeLessThan(TOL);
  }
}

const TASK_FOR_TYPE: Record<string, string> = {
  cls: 'PubMedQA-labeled',
  em: 'MedQA',
  entity: 'AnEM',
  multicls: 'Hallmarks-of-Cancer',
  bio: 'NCBI-disease',
  mse: 'BIOSSES',
};

function keyMapFor(task: string): Record<string, string> {
  return {
    rouge: 'rougeL',
    f1: 'wordF1',
    label_level_f1: 'labelMacroF1',
    em: 'exactMatch',
    entity_level_f1: task === 'Hallmarks-of-Cancer' ? 'multiLabelF1' : 'entityF1',
    label_leval_f1: 'bioTagF1',
    mse: 'biossesMse',
  };
}

describe('golden: MedINST32 evaluate() on synthetic corpora', () => {
  for (const [type, c] of Object.entries(GOLDEN.medinstSynthetic)) {
    it(type, () => {
      const task = TASK_FOR_TYPE[type]!;
      const got = scoreTask('medinst32', task, c.preds, c.golds, 'reference');
      expectScores(got, c.metrics as Record<string, number>, keyMapFor(task));
    });
  }
});

describe('golden: MedS-Bench synthetic corpora', () => {
  const s = GOLDEN.medsSynthetic;
  it('MCQA', () => {
    expect(Math.abs(mcqAccuracy(s.mcq.preds, s.mcq.golds, { taskId: 'task57' }) - s.mcq.value)).toBeLessThan(TOL);
  });
  it('NER micro P/R/F1', () => {
    const r = nerMicroPrf(s.ner.preds, s.ner.golds);
    [r.precision, r.recall, r.f1].forEach((v, i) => expect(Math.abs(v - s.ner.value[i]!)).toBeLessThan(TOL));
  });
  it('HoC macro P/R/F1', () => {
    const r = hocMacroPrf(s.hoc.preds, s.hoc.golds);
    [r.precision, r.recall, r.f1].forEach((v, i) => expect(Math.abs(v - s.hoc.value[i]!)).toBeLessThan(TOL));
  });
  it('substring accuracies and true/false', () => {
    const t = s.substring;
    expect(substringAccuracy(t.preds, t.golds, 'informationExtraction')).toBeCloseTo(t.ie, 9);
    expect(substringAccuracy(t.preds, t.golds, 'diagnosis')).toBeCloseTo(t.diagnosis, 9);
    expect(substringAccuracy(t.preds, t.golds, 'treatmentPlanning')).toBeCloseTo(t.treatment, 9);
    expect(substringAccuracy(t.preds, t.golds, 'nli')).toBeCloseTo(t.nli, 9);
    expect(substringAccuracy(t.preds, t.golds, 'factVerification')).toBeCloseTo(t.fact, 9);
    expect(trueFalseAccuracy(t.preds, t.golds)).toBeCloseTo(t.outcome, 9);
  });
});
