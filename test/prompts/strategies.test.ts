import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { HistoryTurn } from '../../src/shared/domain';
import {
  MEDS_LEARN_SENTENCE,
  canonicalJson,
  deriveSeed,
  drawExamples,
  fillTemplate,
  medinst32Messages,
  medsBenchMessages,
  medsBenchPrompt,
  medsGold,
  mulberry32,
  parseTemplate,
  renderPrompt,
  resolveTemplate,
  sampleWithoutReplacement,
  selectInstruction,
  templateHash,
  type PromptMessage,
  type PromptRecord,
  type PromptTemplate,
} from '../../src/core/prompts';
import { data, readRecords } from '../helpers';

interface MedinstRecord {
  instruction: string;
  input: string;
  output: string;
  history?: HistoryTurn[];
}
interface NatInstFile {
  Definition: string[];
  'Positive Examples': { input: string; output: string | string[] }[];
  Instances: { id?: string; input: string; output: string | string[] }[];
}

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const readNatInst = (rel: string) => JSON.parse(fs.readFileSync(data(rel), 'utf8')) as NatInstFile;
const task123 = readNatInst('meds-bench/MCQA/task123_pubmedqa_test_set.json');
const task114 = readNatInst('meds-bench/Text_summarization/task114_meqsum_summarization.json');
const rewrites = JSON.parse(fs.readFileSync(data('meds-ins/RewriteDefinitions.json'), 'utf8')) as Record<
  string,
  { original_def: string; auto_rewrite_def: string[] }
>;
const pool = (f: NatInstFile): PromptRecord[] => f.Instances.map((r, key) => ({ key, input: r.input, output: r.output, instruction: f.Definition[0] }));
const msgs = (p: ReturnType<typeof renderPrompt>): PromptMessage[] => {
  if (!('messages' in p)) throw new Error('expected messages');
  return p.messages;
};

describe('MedINST32 prompts (evaluation.py predict())', () => {
  const fewShot = readRecords<MedinstRecord>(data('medinst32/unseen_tests/PubMedQA-labeled.json'));
  const zeroShot = readRecords<MedinstRecord>(data('medinst32/unseen_tests_zs/PubMedQA-labeled.json'));
  const ncbi = readRecords<MedinstRecord>(data('medinst32/unseen_tests/NCBI-disease.json'));

  it('turns each history pair into a user and an assistant turn, then instruction + "\\n" + input', () => {
    for (const rec of [...fewShot.slice(0, 50), ...ncbi.slice(0, 20)]) {
      const m = medinst32Messages(rec);
      expect(m.map((x) => x.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user']);
      expect(m[0]!.content).toBe(rec.history![0]![0]);
      expect(m[1]!.content).toBe(rec.history![0]![1]);
      expect(m[3]!.content).toBe(rec.history![1]![1]);
      expect(m[4]!.content).toBe(rec.instruction + '\n' + rec.input);
      // the stored history user turns are instruction + "\n" + example input
      expect(m[0]!.content.startsWith(rec.instruction + '\n')).toBe(true);
    }
  });

  it('zero-shot configs give one user turn; the same via renderPrompt with the stored history', () => {
    const rec = zeroShot[3]!;
    expect(medinst32Messages(rec)).toEqual([{ role: 'user', content: `${rec.instruction}\n${rec.input}` }]);
    const few = fewShot[3]!;
    const viaTemplate = msgs(renderPrompt({ strategy: 'medinst32', k: null, seed: 0, variant: 0 }, { query: few }));
    expect(viaTemplate).toEqual(medinst32Messages(few));
  });

  it('keeps non-ASCII and Unicode spaces byte for byte', () => {
    const rec = fewShot.find((r) => /[\u00a0\u2009±≥β]/.test(r.input))!;
    expect(rec).toBeDefined();
    expect(medinst32Messages(rec).at(-1)!.content).toBe(`${rec.instruction}\n${rec.input}`);
  });

  it('can re-draw k examples from the zero-shot split, never the query, in the same turn style', () => {
    const records: PromptRecord[] = zeroShot.map((r, key) => ({ ...r, key }));
    const query = records[10]!;
    const m = msgs(renderPrompt({ strategy: 'medinst32', k: 2, seed: 7, variant: 0 }, { query, pool: records }));
    expect(m).toHaveLength(5);
    for (const turn of [m[0]!, m[2]!]) {
      expect(turn.content.startsWith(query.instruction + '\n')).toBe(true);
      expect(turn.content).not.toBe(query.instruction + '\n' + query.input);
      const ex = records.find((r) => query.instruction + '\n' + r.input === turn.content)!;
      expect(ex).toBeDefined();
      expect(m[m.indexOf(turn) + 1]!.content).toBe(ex.output);
    }
  });

  it('an instruction variant replaces the instruction in the last turn and in stored history turns', () => {
    const rec = fewShot[0]!;
    const other = 'Say yes, no or maybe.';
    const m = msgs(renderPrompt({ strategy: 'medinst32', k: null, seed: 0, variant: 1 }, { query: rec, instructions: [rec.instruction, other] }));
    expect(m[4]!.content).toBe(`${other}\n${rec.input}`);
    expect(m[0]!.content).toBe(other + rec.history![0]![0].slice(rec.instruction.length));
  });
});

describe('MedS-Bench prompts (EvalDataset.py), byte for byte', () => {
  it('matches the reference strings for list outputs (task123) — hashes computed with the Python code', () => {
    const ex = [5, 17, 42].map((i) => task123.Instances[i]!);
    const [system, user] = medsBenchMessages(task123.Definition[0]!, task123.Instances[0]!.input, ex, 'reference');
    expect(system!.role).toBe('system');
    expect(user!.role).toBe('user');
    expect(system!.content).toHaveLength(5208);
    expect(sha(system!.content)).toBe('27ac2fbc29bf635ef8c69c3827c1413374d3f1d6a091c2d56fd7d16231eba245');
    expect(sha(user!.content)).toBe('7ae4f4e1560d8a0d3de0e64b841b8bbebef023b2573037d9bc968bc7d6dded00');
    // output[0] of list outputs, no separator before the learn sentence
    expect(system!.content).toContain('\n\nOutput:\n' + (task123.Instances[5]!.output as string[])[0] + '\n\n\nInput:\n');
    expect(system!.content.endsWith(task123.Definition[0]! + MEDS_LEARN_SENTENCE)).toBe(true);
    expect(user!.content).toBe('Input:\n' + task123.Instances[0]!.input + '\nOutput:\n');
  });

  it('matches the reference strings for string outputs with newlines in inputs (task114)', () => {
    const ex = [3, 250, 1].map((i) => task114.Instances[i]!);
    const [system, user] = medsBenchMessages(task114.Definition[0]!, task114.Instances[7]!.input, ex);
    expect(sha(system!.content)).toBe('4e42aedf66d914c54e5127d5c555c6394802db145fd6a555d9e66619de1ec50d');
    expect(sha(user!.content)).toBe('bbbadb2d4448fe3b3384c042335b147be9bba0993e56fce734d0be669c46db9c');
  });

  it('reproduces the mixed string/list quirk in reference mode and fixes it in corrected mode', () => {
    const ex = [
      { input: 'a', output: 'yes' },
      { input: 'b', output: ['no', 'x'] },
    ];
    const ref = medsBenchMessages('Def.', 'q', ex, 'reference');
    expect(ref[0]!.content).toBe(
      'Input:\na\n\nOutput:\ny\n\n\nInput:\nb\n\nOutput:\nno\n\n\nDef.Please learn from the few-shot cases to see what content you have to output.',
    );
    expect(ref[1]!.content).toBe('Input:\nq\nOutput:\n');
    expect(medsBenchMessages('Def.', 'q', ex, 'corrected')[0]!.content).toContain('Output:\nyes\n');
    expect(medsBenchMessages('Def.', 'q', [], 'reference')[0]!.content).toBe('\n\nDef.' + MEDS_LEARN_SENTENCE);
    expect(medsGold(task123.Instances[0]!.output)).toBe('The right answer is ' + (task123.Instances[0]!.output as string[])[0]!.split(' ').pop());
  });

  it('k = 0 is the reference no-context branch: system = definition, user = raw input', () => {
    const q = pool(task114)[0]!;
    const m = msgs(renderPrompt({ strategy: 'meds-bench', k: 0, seed: 0, variant: 0 }, { query: q, pool: pool(task114) }));
    expect(m).toEqual([
      { role: 'system', content: task114.Definition[0] },
      { role: 'user', content: q.input },
    ]);
  });

  it('renderPrompt draws 3 examples by default; reference mode may draw the query, corrected never does', () => {
    const p = pool(task123);
    let refHits = 0;
    for (const query of p.slice(0, 400)) {
      const corrected = drawExamples(p, query, 3, 11, false);
      expect(corrected).toHaveLength(3);
      expect(corrected).not.toContain(query);
      if (drawExamples(p, query, 3, 11, true).includes(query)) refHits++;
    }
    expect(refHits).toBeGreaterThan(0); // ~400 * 3/500 expected
    // with a pool of 3, the reference sampler always includes the query
    const small = p.slice(0, 3);
    expect(drawExamples(small, small[0]!, 3, 0, true)).toContain(small[0]);
    expect(drawExamples(small, small[0]!, 3, 0, false)).toHaveLength(2);

    const query = p[0]!;
    const t: PromptTemplate = { strategy: 'meds-bench', k: null, seed: 3, variant: 0 };
    expect(resolveTemplate(t)).toMatchObject({ k: 3, mode: 'reference' });
    const m = msgs(renderPrompt({ ...t, k: 3 }, { query, pool: p }));
    const expected = medsBenchPrompt(query, { k: 3, seed: 3, definition: task123.Definition[0]!, mode: 'reference', pool: p });
    expect(m).toEqual(expected);
    expect(m[0]!.content.split('Input:\n').length - 1).toBe(3);
    // deterministic
    expect(msgs(renderPrompt({ ...t, k: 3 }, { query, pool: p }))).toEqual(m);
  });

  it('selects the original definition or the i-th paraphrase (RewriteDefinitions.json)', () => {
    const defs = rewrites.task114!;
    const instructions = [task114.Definition[0]!, ...defs.auto_rewrite_def];
    expect(defs.original_def).toBe(task114.Definition[0]);
    const q = pool(task114)[0]!;
    const m = msgs(renderPrompt({ strategy: 'meds-bench', k: 3, seed: 0, variant: 2, mode: 'corrected' }, { query: q, pool: pool(task114), instructions }));
    expect(m[0]!.content.endsWith(defs.auto_rewrite_def[1]! + MEDS_LEARN_SENTENCE)).toBe(true);
    expect(selectInstruction({ query: q, instructions }, 0)).toBe(task114.Definition[0]);
    expect(() => selectInstruction({ query: q, instructions }, instructions.length)).toThrow(
      /variant 161 does not exist: 0 is the original, 1\.\.160 are paraphrases/,
    );
  });
});

describe('generic, zero-shot and raw strategies', () => {
  const positives: PromptRecord[] = task114['Positive Examples'].map((e, i) => ({ key: `pos${i}`, input: e.input, output: e.output }));
  const query = pool(task114)[12]!;

  it('k-shot from the positive examples with the default templates', () => {
    const m = msgs(renderPrompt({ strategy: 'generic', k: 3, seed: 1, variant: 0, pool: 'positive' }, { query, pool: positives }));
    expect(m[0]).toEqual({ role: 'system', content: task114.Definition[0] });
    const user = m[1]!.content;
    expect(user.endsWith(`Input: ${query.input}\nOutput:`)).toBe(true);
    for (const e of task114['Positive Examples']) expect(user).toContain(`Input: ${e.input}\nOutput: ${e.output as string}\n\n`);
  });

  it('k-shot from the split never includes the query; custom templates, single-pass substitution', () => {
    const p = pool(task114);
    const t: PromptTemplate = {
      strategy: 'generic',
      k: 2,
      seed: 5,
      variant: 0,
      system: '',
      user: 'Task: {instruction}\n---\n{examples}Q: {input}\nA:',
      example: 'Q: {input}\nA: {output}',
      exampleSeparator: '\n---\n',
    };
    for (const q of p.slice(0, 100)) {
      const m = msgs(renderPrompt(t, { query: q, pool: p }));
      expect(m).toHaveLength(1);
      expect(m[0]!.role).toBe('user');
      expect(m[0]!.content.split('\n---\n')).toHaveLength(4);
      expect(m[0]!.content.indexOf(`Q: ${q.input}\nA: `)).toBe(-1);
    }
    expect(fillTemplate('{input} {instruction} {other}', { input: '{instruction}', instruction: 'I' })).toBe('{instruction} I {other}');
  });

  it('zero-shot: system = instruction, user = input; raw: one completion text', () => {
    expect(msgs(renderPrompt({ strategy: 'zero-shot', k: 5, seed: 0, variant: 0 }, { query, pool: positives }))).toEqual([
      { role: 'system', content: task114.Definition[0] },
      { role: 'user', content: query.input },
    ]);
    const raw = renderPrompt({ strategy: 'raw', k: 1, seed: 0, variant: 0, pool: 'positive' }, { query, pool: positives });
    expect('text' in raw).toBe(true);
    const text = (raw as { text: string }).text;
    expect(text.startsWith(task114.Definition[0] + '\n\nInput: ')).toBe(true);
    expect(text.endsWith(`\n\nInput: ${query.input}\nOutput:`)).toBe(true);
    expect(renderPrompt({ strategy: 'raw', k: 0, seed: 0, variant: 0 }, { query })).toEqual({
      text: `${task114.Definition[0]}\n\nInput: ${query.input}\nOutput:`,
    });
  });
});

describe('sampling and templates', () => {
  it('mulberry32 gives the published sequence; draws are seeded and distinct', () => {
    const r = mulberry32(1);
    expect([r(), r(), r()]).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
    const items = Array.from({ length: 50 }, (_, i) => i);
    const a = sampleWithoutReplacement(items, 10, mulberry32(deriveSeed(9, 'q')));
    expect(new Set(a).size).toBe(10);
    expect(sampleWithoutReplacement(items, 10, mulberry32(deriveSeed(9, 'q')))).toEqual(a);
    expect(sampleWithoutReplacement(items, 10, mulberry32(deriveSeed(10, 'q')))).not.toEqual(a);
    expect(sampleWithoutReplacement(items, 99, mulberry32(1))).toHaveLength(50);
  });

  it('templateHash = sha256 of the canonical JSON of the resolved template', () => {
    const t: PromptTemplate = { strategy: 'meds-bench', k: 3, seed: 0, variant: 0 };
    const canonical = '{"k":3,"mode":"reference","seed":0,"strategy":"meds-bench","variant":0}';
    expect(canonicalJson(resolveTemplate(t))).toBe(canonical);
    expect(templateHash(t)).toBe(sha(canonical));
    expect(templateHash({ variant: 0, seed: 0, k: 3, strategy: 'meds-bench', mode: 'reference' })).toBe(templateHash(t));
    expect(templateHash({ ...t, seed: 1 })).not.toBe(templateHash(t));
    expect(templateHash({ ...t, system: 'ignored by this strategy' })).toBe(templateHash(t));
    expect(canonicalJson({ b: [1, { d: 1, c: undefined, a: 'x' }], a: null })).toBe('{"a":null,"b":[1,{"a":"x","d":1}]}');
  });

  it('parseTemplate validates untrusted templates and names the field', () => {
    expect(parseTemplate(JSON.parse('{"strategy":"generic","k":2,"seed":1,"variant":0}'))).toMatchObject({
      strategy: 'generic',
      k: 2,
      user: '{examples}Input: {input}\nOutput:',
    });
    expect(() => parseTemplate({ strategy: 'nope' })).toThrow(/"strategy" must be one of/);
    expect(() => parseTemplate({ strategy: 'generic', k: -1 })).toThrow(/"k" must be a non-negative integer/);
    expect(() => parseTemplate({ strategy: 'meds-bench', mode: 'x' })).toThrow(/"mode"/);
    expect(() => parseTemplate({ strategy: 'medinst32', text: 'x' })).toThrow(/"text" is not a field of the medinst32 strategy/);
    expect(parseTemplate({ strategy: 'medinst32', k: null })).toMatchObject({ k: null });
  });
});
