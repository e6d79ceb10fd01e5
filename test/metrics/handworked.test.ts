/** Small hand-worked cases for each metric, reference and corrected modes, and the registry. */
import { describe, expect, it } from 'vitest';
import {
  normalizeAnswer,
  wordF1,
  exactMatch,
  extractBracketEntities,
  entityF1,
  multiLabelF1,
  labelMacroF1,
  sklearnMacroF1,
  bioTagF1,
  alignBioTags,
  biossesMse,
  distinctIntegers,
  rougeScoreTokenize,
  rougeScoreL,
  pyRougeL,
  pyRougeLPairOrNull,
  mcqAccuracy,
  sentenceBleu1,
  bleu1Pair,
  wordTokenize,
  splitSentences,
  cjkTokenize,
  substringAccuracy,
  parseNerEntities,
  nerMicroF1,
  hocMacroPrf,
  trueFalseAccuracy,
  MEDINST32_TASKS,
  medinstEvalType,
  medinstMetrics,
  medsTaskSpec,
  scoreTask,
  METRICS,
  porterStem,
} from '../../src/core/metrics';

describe('normalize_answer', () => {
  it('lowers, strips punctuation and articles, squashes spaces', () => {
    expect(normalizeAnswer('The  Answer: an  (A) apple!')).toBe('answer apple');
    expect(normalizeAnswer('théa')).toBe('théa'); // Unicode word boundary keeps 'a' inside words
    expect(normalizeAnswer('a\u00a0b')).toBe('b'); // NBSP is whitespace for Python
  });
});

describe('MedINST32 per-sample metrics', () => {
  it('word F1', () => {
    // tokens p=[cat,sat], g=[cat,sat,down] → P=1, R=2/3 → F=0.8
    expect(wordF1(['The cat sat'], ['cat sat down'])).toBeCloseTo(0.8, 15);
    expect(wordF1(['...'], ['the'])).toBe(0);
    expect(wordF1(['...'], ['the'], { mode: 'corrected' })).toBe(1);
  });
  it('exact match', () => {
    expect(exactMatch(['The Aspirin.', 'x'], ['aspirin', 'y'])).toBe(0.5);
  });
  it('bracket-stack entity extraction', () => {
    expect(extractBracketEntities('[A b] x [c [d] e]] ] [f')).toEqual(['b', 'c d e']);
    // unmatched ']' resets the current span; an unclosed '[' is dropped
    expect(extractBracketEntities('] [x]')).toEqual(['x']);
  });
  it('entity F1 per sample, multiset, averaged', () => {
    // sample 1: gold {a,b}, pred {a,a}: tp=1 fp=1 fn=1 → 0.5; sample 2: both empty → 0 (reference)
    expect(entityF1(['[a] [a]', 'nothing'], ['[a] [b]', 'none'])).toBeCloseTo(0.25, 15);
    expect(entityF1(['[a] [a]', 'nothing'], ['[a] [b]', 'none'], { mode: 'corrected' })).toBeCloseTo(0.75, 15);
  });
  it('multi-label F1 (Hallmarks)', () => {
    expect(multiLabelF1(['B, a ', 'none'], ['a, b', 'none'])).toBe(1);
    expect(multiLabelF1(['a'], ['a, b'])).toBeCloseTo(2 / 3, 15);
  });
  it('label macro-F1 with labels = sorted(set(gold))', () => {
    // gold yes,no,no ; pred yes,yes,maybe → yes: 2·1/(1+2)=2/3 ; no: 0 → 1/3
    expect(labelMacroF1(['yes', 'yes', 'maybe'], ['yes', 'no', 'no'])).toBeCloseTo(1 / 3, 15);
    expect(sklearnMacroF1(['a', 'b'], ['a', 'c'])).toBeCloseTo(0.5, 15);
  });
  it('BIO tags padded with N / truncated and pooled', () => {
    const { ts, ps } = alignBioTags(['x [B] y [O] z [O]', 'q [I]'], ['x [B] y [I]', 'q [I] r [O]']);
    expect(ts).toEqual(['[B]', '[I]', '[I]', '[O]']);
    expect(ps).toEqual(['[B]', '[O]', '[I]', 'N']);
    // B: 1.0; I: tp1, true2, pred1 → 2/3; O: tp0, true1, pred1 → 0 → mean 5/9
    expect(bioTagF1(['x [B] y [O] z [O]', 'q [I]'], ['x [B] y [I]', 'q [I] r [O]'])).toBeCloseTo(5 / 9, 15);
  });
  it('BIOSSES MSE with the (0,5) penalty', () => {
    expect(distinctIntegers('3 and 03')).toEqual([3]);
    expect(distinctIntegers('٣')).toEqual([3]);
    // (3,3)=0, (4 vs 2)=4, penalty 25 for two ints → (0+4+25)/3
    expect(biossesMse(['3', '2', '2.5'], ['3', '4', '1'])).toBeCloseTo(29 / 3, 15);
  });
});

describe('ROUGE-L', () => {
  it('rouge_score tokenizer: [a-z0-9] runs, stem tokens longer than 3', () => {
    expect(rougeScoreTokenize('The runners were RUNNING; 5mg/kg!')).toEqual(['the', 'runner', 'were', 'run', '5mg', 'kg']);
    expect(porterStem('running')).toBe('run');
  });
  it('rouge_score F: LCS over tokens', () => {
    // t=[a,b,c,d] p=[a,c,e] → LCS 2, P=2/3 R=1/2 → F=4/7
    expect(rougeScoreL(['a c e'], ['a b c d'])).toBeCloseTo(4 / 7, 15);
    expect(rougeScoreL([''], ['x'])).toBe(0);
  });
  it('pltrdy rouge F: distinct words, union of set LCS, +1e-8', () => {
    // hyp words {a,b}, ref {a,b,c}: LCS(a b c, a b)={a,b} → P=1 R=2/3
    const p = 1;
    const r = 2 / 3;
    expect(pyRougeL(['a b'], ['a b c'])).toBeCloseTo(2 * ((p * r) / (p + r + 1e-8)), 15);
    expect(pyRougeLPairOrNull('...', 'x')).toBeNull(); // the package raises ValueError
  });
});

describe('MedS-Bench', () => {
  it('MCQA first-letter rule and the task123 maybe quirk', () => {
    expect(mcqAccuracy(['The right answer is B.', 'e'], ['The right answer is B', 'E'], { taskId: 'task57' })).toBe(50);
    expect(mcqAccuracy(['maybe'], ['The right answer is maybe'], { taskId: 'task123' })).toBe(0);
    expect(mcqAccuracy(['maybe'], ['The right answer is maybe'], { taskId: 'task123', mode: 'corrected' })).toBe(100);
    expect(mcqAccuracy(['nope'], ['no'], { taskId: 'task123' })).toBe(100); // first letters only
  });
  it('BLEU-1 = BP · clipped unigram precision', () => {
    // hyp [a,a,b] ref [a,b,c,d]: clipped 2/3, BP=exp(1-4/3)
    expect(sentenceBleu1(['a', 'b', 'c', 'd'], ['a', 'a', 'b'])).toBeCloseTo(Math.exp(1 - 4 / 3) * (2 / 3), 15);
    expect(sentenceBleu1(['x'], [])).toBe(0);
    expect(bleu1Pair('The cat sat.', 'The cat sat.')).toBe(1);
  });
  it('word_tokenize sentence splitting (Punkt approximation)', () => {
    expect(splitSentences('He left. She stayed. Dr. Smith came at 5 p.m. today.')).toEqual(['He left.', 'She stayed.', 'Dr. Smith came at 5 p.m. today.']);
    expect(wordTokenize('He left. She stayed.')).toEqual(['He', 'left', '.', 'She', 'stayed', '.']);
  });
  it('CJK tokenisation keeps every segment', () => {
    expect(cjkTokenize('我喜欢吃苹果。', 'zh').join('')).toBe('我喜欢吃苹果。');
    expect(cjkTokenize('我喜欢吃苹果。', 'zh').length).toBeGreaterThan(2);
    expect(bleu1Pair('我喜欢吃苹果', '我喜欢吃苹果', 'zh')).toBe(1);
  });
  it('substring accuracies', () => {
    expect(substringAccuracy(['x "Adults"\n'], ['adults'], 'informationExtraction')).toBe(100);
    expect(substringAccuracy(['likely URTI'], ['The diagnosis result is URTI.'], 'diagnosis')).toBe(100);
    expect(substringAccuracy(['line1\nsupported'], ['supported'], 'factVerification')).toBe(0);
  });
  it('NER set parsing drops the last character in reference mode', () => {
    expect([...parseNerEntities('Aspirin, ibuprofen.')]).toEqual(['aspirin', 'ibuprofe']);
    expect([...parseNerEntities('Aspirin, ibuprofen.', { mode: 'corrected' })]).toEqual(['aspirin', 'ibuprofen']);
    expect(parseNerEntities('There is no related entity.', { mode: 'corrected' }).size).toBe(0);
    expect(nerMicroF1(['a, b.'], ['a, b.'])).toBe(100);
    // the last entity loses its last character on both sides: 'bx' and 'by' both become 'b'
    expect(nerMicroF1(['a, bx.'], ['a, by.'])).toBe(100);
    expect(nerMicroF1(['a, bx.'], ['a, by.'], { mode: 'corrected' })).toBeCloseTo(50, 12);
  });
  it('HoC macro P/R/F over the ten hallmarks', () => {
    const r = hocMacroPrf(['inducing angiogenesis'], ['inducing angiogenesis and cellular energetics']);
    expect(r.precision).toBeCloseTo(10, 12); // 1 of 10 classes precise, others 0
    expect(r.recall).toBeCloseTo(10, 12);
    expect(r.f1).toBeCloseTo(10, 12);
  });
  it('clinical outcome true/false', () => {
    expect(trueFalseAccuracy(['True', 'true or false', 'no'], ['true', 'true', 'maybe'])).toBeCloseTo(100 / 3, 12);
  });
});

describe('registry', () => {
  it('has the 32 MedINST32 tasks and the type precedence of evaluation.py', () => {
    expect(MEDINST32_TASKS).toHaveLength(32);
    expect(medinstEvalType('PubMedQA-labeled')).toBe('cls');
    expect(medinstEvalType('NCBI-disease')).toBe('bio');
    expect(medinstEvalType('Hallmarks-of-Cancer')).toBe('multicls');
    expect(medinstEvalType('ParaMed')).toBeNull();
    expect(medinstMetrics('ParaMed')).toEqual(['rougeL', 'wordF1']);
    expect(medinstMetrics('BIOSSES')).toEqual(['rougeL', 'wordF1', 'biossesMse']);
    expect(METRICS.biossesMse.higherIsBetter).toBe(false);
    expect(METRICS.bioTagF1.referenceKey).toBe('label_leval_f1');
  });
  it('knows the MedS-Bench categories', () => {
    expect(medsTaskSpec('task123')?.category).toBe('MCQA');
    expect(medsTaskSpec('task54')?.scorer).toMatchObject({ kind: 'generation', lang: 'ja' });
    expect(medsTaskSpec('task127')?.metrics).toContain('nerF1');
    expect(() => scoreTask('meds-bench', 'task999', [], [])).toThrow();
  });
  it('scoreTask returns every metric of the task', () => {
    expect(Object.keys(scoreTask('medinst32', 'MedQA-zs', ['a'], ['a'])).sort()).toEqual(['exactMatch', 'rougeL', 'wordF1']);
    expect(scoreTask('meds-bench', 'task52', ['  ', 'Same text.'], ['x', 'Same text.'])).toEqual({
      bleu1: 100,
      pyRougeL: expect.closeTo(100, 5) as unknown as number,
    });
    // corrected mode counts the empty rationale as 0 instead of skipping it
    expect(scoreTask('meds-bench', 'task52', ['  ', 'Same text.'], ['x', 'Same text.'], 'corrected').bleu1).toBe(50);
  });
});

describe('word_tokenize fast path', () => {
  // Both sides split with the same splitter wordTokenize uses: Punkt where a model is installed, else the approximation.
  it('equals per-sentence tokenisation on real texts', async () => {
    const fs = await import('node:fs');
    const path = await import('node:path');
    const { sentenceSplit: split, wordTokenize: wt, wordTokenizeSentences } = await import('../../src/core/metrics');
    const data = process.env.MEDTASK_SHARED_DATA ?? path.resolve(__dirname, '../../../shared/data');
    const texts = ['He said "yes." Then he left! Did he? \'Tis true.', "It ended: fine. ''Quoted'' start. Wait... more. (Paren.) Next.", 'a.b. c. D. e'];
    const f = path.join(data, 'medinst32/unseen_tests/PubMedQA-labeled.json');
    if (fs.existsSync(f)) {
      for (const line of fs.readFileSync(f, 'utf8').split('\n').slice(0, 200)) if (line.trim()) texts.push((JSON.parse(line) as { input: string }).input);
    }
    for (const t of texts) expect(wt(t)).toEqual(wordTokenizeSentences(split(t)));
  });
});

describe('bioTagF1 fast path', () => {
  it('equals the align + sklearn form', async () => {
    const { bioTagF1: fast, bioTagF1Slow } = await import('../../src/core/metrics');
    const golds = ['a [B] b [I] c [O]', 'x [O]', '', 'y [B] z [I] w [I] v [O]', 'no tags'];
    const preds = ['a [B] b [O]', 'x [B] q [I]', '[O]', 'y [I] [B] [O] [O] [O] [B]', '[B]'];
    expect(fast(preds, golds)).toBeCloseTo(bioTagF1Slow(preds, golds), 15);
    expect(fast(['[O]'], ['[O]'])).toBe(1);
    expect(fast(['x'], ['y'])).toBe(0);
  });
});
