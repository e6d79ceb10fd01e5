/**
 * Scoring throughput benchmark (pairs per second per metric) on synthetic
 * prediction/gold pairs. Prints a markdown table and writes/replaces the
 * "## Scoring (bench:score)" section of docs/PERFORMANCE.md.
 *
 * Run: esbuild scripts/bench-score.ts --bundle --platform=node --format=esm \
 *        --outfile=out/bench-score.mjs && node out/bench-score.mjs [--quick] [--no-write]
 */
import { mulberry32 } from '../src/core/random';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  rougeScoreL,
  pyRougeL,
  wordF1,
  exactMatch,
  entityF1,
  multiLabelF1,
  labelMacroF1,
  bioTagF1,
  biossesMse,
  mcqAccuracy,
  bleu1,
  substringAccuracy,
  nerMicroF1,
  hocMacroPrf,
  trueFalseAccuracy,
  HOC_CLASSES,
  scoreTask,
  punktModel,
} from '../src/core/metrics';
import { parsePredictions, scorePredictionSet, serialiseMedsBenchCsv, type MedsBenchRow } from '../src/core/predictions';

const loadBefore = os.loadavg()[0]!.toFixed(1);
const args = new Set(process.argv.slice(2));
const QUICK = args.has('--quick');
const WRITE = !args.has('--no-write');

const rng = mulberry32;
const rand = rng(42);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const VOCAB = (
  'patient patients treatment treated therapy clinical outcome outcomes risk significant significantly associated ' +
  'increased decreased mortality survival cohort study studies randomized controlled trial dose doses mg daily ' +
  'disease diseases cancer tumor tumour cell cells expression gene genes protein response responses analysis ' +
  'results result showed shows compared comparison group groups age years months follow-up hospital admission ' +
  'the a an of in on with for to and or but was were is are be been by from at as this that these those which'
).split(' ');

function sentence(n: number): string {
  const w: string[] = [];
  for (let i = 0; i < n; i++) w.push(pick(VOCAB));
  w[0] = w[0]!.charAt(0).toUpperCase() + w[0]!.slice(1);
  return w.join(' ') + '.';
}
function text(tokens: number): string {
  const parts: string[] = [];
  let left = tokens;
  while (left > 0) {
    const n = Math.min(left, 8 + Math.floor(rand() * 15));
    parts.push(sentence(n));
    left -= n;
  }
  return parts.join(' ');
}
function perturbText(t: string): string {
  return t
    .split(' ')
    .map((w) => (rand() < 0.3 ? pick(VOCAB) : w))
    .join(' ');
}

interface Case {
  name: string;
  pairs: number;
  tokens: string;
  target: number;
  run: () => unknown;
}

const N_TEXT = QUICK ? 400 : 2000;
const N_SHORT = QUICK ? 20_000 : 100_000;

function textPairs(n: number, lo: number, hi: number): { preds: string[]; golds: string[] } {
  const golds: string[] = [];
  const preds: string[] = [];
  for (let i = 0; i < n; i++) {
    const g = text(lo + Math.floor(rand() * (hi - lo + 1)));
    golds.push(g);
    preds.push(perturbText(g));
  }
  return { preds, golds };
}

const t100 = textPairs(N_TEXT, 90, 110);
const tMixed = textPairs(N_TEXT, 20, 300);
const LABELS = ['yes', 'no', 'maybe'];
const cls = {
  golds: Array.from({ length: N_SHORT }, () => pick(LABELS)),
  preds: Array.from({ length: N_SHORT }, () => (rand() < 0.5 ? pick(LABELS) : `The answer is ${pick(LABELS)}.`)),
};
const mcq = {
  golds: Array.from({ length: N_SHORT }, () => `The right answer is ${pick(['A', 'B', 'C', 'D'])}.`),
  preds: Array.from({ length: N_SHORT }, () => `The right answer is ${pick(['A', 'B', 'C', 'D'])}`),
};
const ENT = ['BRCA1 Gene', 'TP53 Gene', 'breast cancer Disease', 'aspirin Chemical', 'EGFR Gene', 'asthma Disease'];
const ents = (k: number): string => Array.from({ length: k }, () => `[${pick(ENT)}]`).join(' ');
const entity = {
  golds: Array.from({ length: N_SHORT }, () => ents(1 + Math.floor(rand() * 5))),
  preds: Array.from({ length: N_SHORT }, () => ents(1 + Math.floor(rand() * 5))),
};
const hocLabels = (): string => {
  const k = Math.floor(rand() * 4);
  return k === 0
    ? 'none'
    : Array.from({ length: k }, () => pick(HOC_CLASSES))
        .sort()
        .join(', ');
};
const multi = {
  golds: Array.from({ length: N_SHORT }, hocLabels),
  preds: Array.from({ length: N_SHORT }, hocLabels),
};
const bioSent = (n: number): string => Array.from({ length: n }, () => `${pick(VOCAB)} ${pick(['[B]', '[I]', '[O]', '[O]', '[O]'])}`).join(' ');
const bio = {
  golds: Array.from({ length: N_SHORT }, () => bioSent(20)),
  preds: Array.from({ length: N_SHORT }, () => bioSent(18 + Math.floor(rand() * 5))),
};
const sts = {
  golds: Array.from({ length: N_SHORT }, () => String(Math.floor(rand() * 6))),
  preds: Array.from({ length: N_SHORT }, () => (rand() < 0.8 ? String(Math.floor(rand() * 6)) : 'about 3 or 4')),
};
const nerList = (): string =>
  rand() < 0.1 ? 'There is no related enetity.' : Array.from({ length: 1 + Math.floor(rand() * 4) }, () => pick(VOCAB)).join(', ') + '.';
const ner = {
  golds: Array.from({ length: N_SHORT }, nerList),
  preds: Array.from({ length: N_SHORT }, nerList),
};
const tf = {
  golds: Array.from({ length: N_SHORT }, () => pick(['true', 'false'])),
  preds: Array.from({ length: N_SHORT }, () => pick(['True.', 'false', 'It is true, not false'])),
};
const ie = {
  golds: Array.from({ length: N_SHORT }, () => sentence(4)),
  preds: Array.from({ length: N_SHORT }, () => sentence(12)),
};

const TEXT_TARGET = 20_000;
const OTHER_TARGET = 200_000;

const cases: Case[] = [
  { name: 'rougeScoreL (MedINST32 ROUGE-L)', pairs: N_TEXT, tokens: '~100', target: TEXT_TARGET, run: () => rougeScoreL(t100.preds, t100.golds) },
  { name: 'pyRougeL (MedS-Bench ROUGE-L)', pairs: N_TEXT, tokens: '~100', target: TEXT_TARGET, run: () => pyRougeL(t100.preds, t100.golds) },
  { name: 'bleu1 (MedS-Bench BLEU-1)', pairs: N_TEXT, tokens: '~100', target: TEXT_TARGET, run: () => bleu1(t100.preds, t100.golds) },
  { name: 'rougeScoreL', pairs: N_TEXT, tokens: '20-300', target: 0, run: () => rougeScoreL(tMixed.preds, tMixed.golds) },
  { name: 'pyRougeL', pairs: N_TEXT, tokens: '20-300', target: 0, run: () => pyRougeL(tMixed.preds, tMixed.golds) },
  { name: 'bleu1', pairs: N_TEXT, tokens: '20-300', target: 0, run: () => bleu1(tMixed.preds, tMixed.golds) },
  { name: 'wordF1', pairs: N_TEXT, tokens: '~100', target: 0, run: () => wordF1(t100.preds, t100.golds) },
  { name: 'wordF1 (labels)', pairs: N_SHORT, tokens: '1-4', target: OTHER_TARGET, run: () => wordF1(cls.preds, cls.golds) },
  { name: 'exactMatch', pairs: N_SHORT, tokens: '1-4', target: OTHER_TARGET, run: () => exactMatch(cls.preds, cls.golds) },
  { name: 'labelMacroF1', pairs: N_SHORT, tokens: '1-4', target: OTHER_TARGET, run: () => labelMacroF1(cls.preds, cls.golds) },
  { name: 'entityF1', pairs: N_SHORT, tokens: '1-5 spans', target: OTHER_TARGET, run: () => entityF1(entity.preds, entity.golds) },
  { name: 'multiLabelF1', pairs: N_SHORT, tokens: '0-3 labels', target: OTHER_TARGET, run: () => multiLabelF1(multi.preds, multi.golds) },
  { name: 'bioTagF1', pairs: N_SHORT, tokens: '20 tags', target: OTHER_TARGET, run: () => bioTagF1(bio.preds, bio.golds) },
  { name: 'biossesMse', pairs: N_SHORT, tokens: '1', target: OTHER_TARGET, run: () => biossesMse(sts.preds, sts.golds) },
  { name: 'mcqAccuracy', pairs: N_SHORT, tokens: '5', target: OTHER_TARGET, run: () => mcqAccuracy(mcq.preds, mcq.golds, { taskId: 'task57' }) },
  {
    name: 'substringAccuracy (IE)',
    pairs: N_SHORT,
    tokens: '4-12',
    target: OTHER_TARGET,
    run: () => substringAccuracy(ie.preds, ie.golds, 'informationExtraction'),
  },
  { name: 'nerMicroF1', pairs: N_SHORT, tokens: '1-4 entities', target: OTHER_TARGET, run: () => nerMicroF1(ner.preds, ner.golds) },
  { name: 'hocMacroPRF', pairs: N_SHORT, tokens: '0-3 labels', target: OTHER_TARGET, run: () => hocMacroPrf(multi.preds, multi.golds) },
  { name: 'trueFalseAccuracy', pairs: N_SHORT, tokens: '1-6', target: OTHER_TARGET, run: () => trueFalseAccuracy(tf.preds, tf.golds) },
];

// ------------------------------------------------------------ MedS-Bench generation per language
// BLEU-1 + ROUGE-L of the rationale task of each language, as scoreTask runs them (tokenisation
// included): English with Punkt (where NLTK's model is found) and the Treebank rules, zh with
// jieba, ja with janome. Texts: the hand-written multi-sentence rationales of the fidelity goldens,
// shuffled into ~100-token golds; predictions drop and reorder sentences.
const FIDELITY = JSON.parse(fs.readFileSync(path.resolve(process.cwd(), 'test/metrics/golden/fidelityTexts.json'), 'utf8')) as Record<
  string,
  [string[], string[]]
>;
const N_LANG = QUICK ? 200 : 1000;
function langPairs(key: string, joiner: string): { preds: string[]; golds: string[] } {
  const [a, b] = FIDELITY[key]!;
  const sents = [...a, ...b].flatMap((t) => t.split(/(?<=[.。!?！？])\s*/u)).filter((s) => s.length > 0);
  const golds: string[] = [];
  const preds: string[] = [];
  for (let i = 0; i < N_LANG; i++) {
    const g = Array.from({ length: 4 }, () => pick(sents));
    golds.push(g.join(joiner));
    preds.push([g[1]!, pick(sents), g[0]!].join(joiner));
  }
  return { preds, golds };
}
const LANGS: [string, string, string, string][] = [
  ['en', 'enEdge', 'task52', ' '],
  ['fr', 'fr', 'task53', ' '],
  ['es', 'es', 'task56', ' '],
  ['ru', 'ru', 'task55', ' '],
  ['zh', 'zh', 'task51', ''],
  ['ja', 'ja', 'task54', ''],
];
const langCases = LANGS.map(([lang, key, task, joiner]) => {
  const d = langPairs(key, joiner);
  return { lang, task, run: () => scoreTask('meds-bench', task, d.preds, d.golds) };
});

// A 20,000-row MedS-Bench results CSV across the categories (generation rows ~1/3), parsed and scored.
const CSV_TASKS = [
  'task123',
  'task4',
  'task114',
  'task18',
  'task52',
  'task51',
  'task54',
  'task125',
  'task1',
  'task117',
  'task106',
  'task41',
  'task131',
  'task12',
];
const csvRows: MedsBenchRow[] = Array.from({ length: QUICK ? 4000 : 20_000 }, (_, i) => {
  const task = CSV_TASKS[i % CSV_TASKS.length]!;
  const lang = task === 'task51' ? 'zh' : task === 'task54' ? 'ja' : null;
  let gt: string;
  let output: string;
  if (lang !== null) {
    const d = langPairs(lang, '');
    gt = d.golds[0]!;
    output = d.preds[0]!;
  } else if (['task114', 'task18', 'task52'].includes(task)) {
    gt = text(60);
    output = perturbText(gt);
  } else if (task === 'task123') {
    gt = `The right answer is ${pick(['yes', 'no', 'maybe'])}`;
    output = `The right answer is ${pick(['yes', 'no'])}`;
  } else {
    gt = sentence(4);
    output = sentence(10);
  }
  return { taskId: task, input: 'prompt', gt, output };
});
const csvText = serialiseMedsBenchCsv(csvRows);

function measure(c: Case): number {
  c.run(); // warm-up (JIT, stem cache)
  const rounds: number[] = [];
  const minMs = QUICK ? 150 : 600;
  const start = performance.now();
  do {
    const t0 = performance.now();
    c.run();
    rounds.push(performance.now() - t0);
  } while (performance.now() - start < minMs || rounds.length < 3);
  rounds.sort((a, b) => a - b);
  const median = rounds[Math.floor(rounds.length / 2)]!;
  return (c.pairs / median) * 1000;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const rows: string[] = [];
let failed = 0;
for (const c of cases) {
  const rate = measure(c);
  const ok = c.target === 0 ? '—' : rate >= c.target ? `≥ ${fmt(c.target)} ✓` : `≥ ${fmt(c.target)} ✗`;
  if (c.target > 0 && rate < c.target) failed++;
  rows.push(`| ${c.name} | ${c.tokens} | ${fmt(c.pairs)} | ${fmt(rate)} | ${ok} |`);
}

function medianMs(run: () => unknown, minMs: number): number {
  run();
  const rounds: number[] = [];
  const start = performance.now();
  do {
    const t0 = performance.now();
    run();
    rounds.push(performance.now() - t0);
  } while (performance.now() - start < minMs || rounds.length < 3);
  rounds.sort((a, b) => a - b);
  return rounds[Math.floor(rounds.length / 2)]!;
}
const punkt = punktModel();
const langRows = langCases.map((c) => {
  const ms = medianMs(c.run, QUICK ? 150 : 600);
  const tok = c.lang === 'zh' ? 'jieba' : c.lang === 'ja' ? 'janome' : punkt ? 'Punkt + Treebank' : 'approximate splitter + Treebank';
  return `| ${c.lang} (${c.task}) | ${tok} | ${fmt(N_LANG)} | ${fmt((N_LANG / ms) * 1000)} |`;
});
const langTable = ['| Language (task) | Tokeniser | Pairs | Pairs/s, BLEU-1 + ROUGE-L (median) |', '|---|---|---|---|', ...langRows].join('\n');
const csvMs = medianMs(() => scorePredictionSet(parsePredictions(csvText, 'bench.csv', 'meds-bench-csv'), { mode: 'reference' }), QUICK ? 150 : 600);
const csvLine = `A ${fmt(csvRows.length)}-row MedS-Bench results CSV (${CSV_TASKS.length} tasks of 11 categories, ${Math.round((100 * 5) / CSV_TASKS.length)}% BLEU/ROUGE rows incl. zh/ja) parses and scores in reference mode in ${(csvMs / 1000).toFixed(2)} s (median).`;

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const table = ['| Metric | Tokens per side | Pairs | Pairs/s (median) | Target |', '|---|---|---|---|---|', ...rows].join('\n');
const section = [
  '## Scoring (bench:score)',
  '',
  `Measured by \`scripts/bench-score.ts\` on ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ${os.cpus().length} logical CPU(s) (${cpu}), single thread${QUICK ? ', --quick' : ''}; load average ${loadBefore} before and ${os.loadavg()[0]!.toFixed(1)} after the run (figures taken on a shared machine scale down with it).`,
  'Synthetic pairs (seeded): texts are built from a 90-word biomedical vocabulary, predictions replace ~30% of the gold words; classification uses short labels; entity metrics use bracketed lists. Each figure is the median over repeated full-corpus runs after one warm-up run.',
  '',
  table,
  '',
  `MedS-Bench generation scoring per language (rationale tasks, tokenisation included; Punkt model ${punkt ? 'found' : 'not found: English uses the approximate splitter'}). Golds are ~4 sentences built from the hand-written rationales of \`test/metrics/golden/fidelityTexts.json\`; the zh/ja segmenters' one-time load is outside the timing.`,
  '',
  langTable,
  '',
  csvLine,
  '',
].join('\n');

console.log(table);
console.log(langTable);
console.log(csvLine);
console.log(failed === 0 ? '\nall targets met' : `\n${failed} target(s) missed`);

if (WRITE) {
  const file = path.resolve(process.cwd(), 'docs/PERFORMANCE.md');
  let doc = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Performance\n';
  const re = /^## Scoring \(bench:score\)\n[\s\S]*?(?=^## |(?![\s\S]))/m;
  if (re.test(doc)) doc = doc.replace(re, section + '\n');
  else doc = doc.replace(/\s*$/, '\n\n') + section;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, doc.replace(/\n{3,}/g, '\n\n').replace(/\s*$/, '\n'));
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
