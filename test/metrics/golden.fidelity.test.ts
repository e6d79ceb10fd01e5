/**
 * Issue 17: reference mode agrees with the benchmarks' own code to the last digit, against
 * values made once by the Python references (golden/generate_fidelity.py →
 * golden/fidelityValues.json): NLTK's Punkt + word_tokenize on every English text of the
 * shared data and on edge cases, jieba 0.42.1 and janome tokens, and whole MedS-Bench CSVs
 * read by pandas and scored by the scripts' rules, for every category.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { janomeTokenize, jiebaCut, punktModel, punktSentences, wordTokenize } from '../../src/core/metrics';
import { readPredictionsFile, scorePredictionSet, serialiseMedsBenchCsv, type MedsBenchRow } from '../../src/core/predictions';

const DATA = '/work/shared/data';
const NLTK_DATA = '/work/shared/reference-data/nltk_data';
const TOL = 1e-9;

interface Golden {
  punktReal: [string, string][];
  punktEdge: [string, string[], string[]][];
  jieba: [string, string[]][];
  janome: [string, string[]][];
  csv: { rows: [string, Cell, Cell][]; expected: Record<string, Record<string, number>> };
}
type Cell = string | { src: 'pqa' | 'task114' | 'task123'; i: number; field: string; op?: 'gold' | 'firstHalf' | 'wrap' };

const G = JSON.parse(readFileSync(join(__dirname, 'golden', 'fidelityValues.json'), 'utf8')) as Golden;

const jsonl = (p: string): Record<string, unknown>[] =>
  readFileSync(p, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
const pqa = jsonl(`${DATA}/medinst32/unseen_tests/PubMedQA-labeled.json`);
const hocRecs = jsonl(`${DATA}/medinst32/unseen_tests/Hallmarks-of-Cancer.json`);
const mq = JSON.parse(readFileSync(`${DATA}/meds-bench/Text_summarization/task114_meqsum_summarization.json`, 'utf8')) as {
  Instances: Record<string, unknown>[];
};
const t123 = JSON.parse(readFileSync(`${DATA}/meds-bench/MCQA/task123_pubmedqa_test_set.json`, 'utf8')) as { Instances: Record<string, unknown>[] };
const rd = JSON.parse(readFileSync(`${DATA}/meds-ins/RewriteDefinitions.json`, 'utf8')) as Record<string, { original_def: string; auto_rewrite_def: string[] }>;

/** The generator's `real_texts`, in its order. */
function realTexts(): string[] {
  const out: string[] = [...pqa.map((r) => r.input as string), ...hocRecs.map((r) => r.input as string)];
  for (const i of mq.Instances) out.push(i.input as string, i.output as string);
  for (const i of t123.Instances) out.push(i.input as string);
  for (const k of Object.keys(rd).sort()) out.push(rd[k]!.original_def, ...rd[k]!.auto_rewrite_def.slice(0, 20));
  return out;
}

const hash = (items: readonly string[]): string => createHash('sha1').update(items.join('\u0000'), 'utf8').digest('hex').slice(0, 16);

let saved: string | undefined;
beforeAll(() => {
  saved = process.env.NLTK_DATA;
  process.env.NLTK_DATA = NLTK_DATA;
});
afterAll(() => {
  if (saved === undefined) delete process.env.NLTK_DATA;
  else process.env.NLTK_DATA = saved;
});

describe('Punkt English (nltk 3.10.3 punkt_tab) and word_tokenize', () => {
  it('finds the model through NLTK_DATA', () => {
    expect(existsSync(join(NLTK_DATA, 'tokenizers/punkt_tab/english/ortho_context.tab'))).toBe(true);
    expect(punktModel()?.dir).toBe(join(NLTK_DATA, 'tokenizers/punkt_tab/english'));
  });
  it(`splits and tokenises all ${G.punktReal.length} English texts of the shared data as NLTK does`, () => {
    const texts = realTexts();
    expect(texts.length).toBe(G.punktReal.length);
    const params = punktModel()!.params;
    const bad: number[] = [];
    texts.forEach((t, i) => {
      const [s, w] = G.punktReal[i]!;
      if (hash(punktSentences(params, t)) !== s || hash(wordTokenize(t)) !== w) bad.push(i);
    });
    expect(bad).toEqual([]);
  });
  it.each(G.punktEdge.map((c, i) => [i, ...c] as const))('edge case %i', (_i, text, sents, words) => {
    expect(punktSentences(punktModel()!.params, text)).toEqual(sents);
    expect(wordTokenize(text)).toEqual(words);
  });
});

describe('segmenters', () => {
  it(`jieba.cut on ${G.jieba.length} texts`, () => {
    for (const [t, toks] of G.jieba) expect(jiebaCut(t)).toEqual(toks);
  });
  it(`janome surfaces on ${G.janome.length} texts`, () => {
    for (const [t, toks] of G.janome) expect(janomeTokenize(t)).toEqual(toks);
  });
});

function resolve(c: Cell): string {
  if (typeof c === 'string') return c;
  const src = c.src === 'pqa' ? pqa : c.src === 'task114' ? mq.Instances : t123.Instances;
  let v = src[c.i]![c.field] as string | string[];
  if (Array.isArray(v)) v = v[0]!;
  if (c.op === 'firstHalf') {
    const w = v.split(' ');
    return w.slice(0, Math.floor(w.length / 2)).join(' ');
  }
  if (c.op === 'wrap') return `The answer is: ${v}`;
  return v;
}

describe('MedS-Bench CSV in reference mode = the scripts on the DataFrame pandas reads', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fidelity-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('every category, pandas NA cells, zh/ja/en/fr/es/ru rationales, astral characters', async () => {
    const rows: MedsBenchRow[] = G.csv.rows.map(([taskId, g, o]) => ({ taskId, input: 'prompt', gt: resolve(g), output: resolve(o) }));
    const file = join(dir, 'results_model.csv');
    writeFileSync(file, serialiseMedsBenchCsv(rows));
    const set = await readPredictionsFile(file);
    const tasks = new Set(Object.keys(G.csv.expected));
    const scored: Record<string, Record<string, number>> = {};
    for (const t of set.tasks) {
      if (!tasks.has(t.task)) continue;
      const r = scorePredictionSet({ ...set, tasks: [t] }, { mode: 'reference', ...(t.task === 'DDXPlus' ? { task: 'DDXPlus' } : {}) });
      scored[t.task] = r.tasks[0]!.metrics as Record<string, number>;
      expect(r.notes).toEqual([]);
    }
    const bad: string[] = [];
    for (const [task, want] of Object.entries(G.csv.expected)) {
      for (const [id, v] of Object.entries(want)) {
        const got = scored[task]?.[id];
        if (got === undefined || Math.abs(got - v) > TOL) bad.push(`${task} ${id}: ${got} != ${v}`);
      }
    }
    expect(bad).toEqual([]);
  });
});
