/**
 * planImport: recognise each file's layout, describe the task it holds (before reading a
 * single record) and hand back plans whose `read()` streams normalised records.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { SplitName, TaskConfig } from '../../shared/domain';
import { importError, type ReadOptions } from './bytes';
import { canonicalMedinst32Task, medinst32Category, medinstCategory, medinstLanguages } from './categories';
import { readCsvRecords } from './csv';
import { countJsonLines, readJsonArray, readJsonLines, readJsonRecords, sniffJson, type RawRecord } from './jsonfile';
import { readDefinitions, readNatInstInstances, readNatInstMeta, type DefinitionVariants } from './natinst';
import { parquetInfo, readParquetRows } from './parquet';
import { normaliseMapped, normaliseMedinst } from './records';
import { ImportError, UnknownLayoutError, type ColumnMapping, type GenericTarget, type LayoutName, type NormalisedRecord, type TaskDescriptor } from './types';
import { globToRegExp, hubConfigs } from './yaml';

export type { DefinitionVariants } from './natinst';

export interface SourcePlan {
  kind: 'records';
  file: string; // absolute path
  /** Every file of this (task, config, split), in read order, when it is sharded; otherwise `[file]`. */
  files: string[];
  layout: LayoutName;
  descriptor: TaskDescriptor;
  totalBytes: number;
  /** Streams records; calls onBytes with cumulative bytes read; honours signal (throws AbortError-like). */
  read(opts?: PlanReadOptions): AsyncIterable<NormalisedRecord>;
}

export interface PlanReadOptions {
  onBytes?: (bytesRead: number) => void;
  signal?: AbortSignal;
  /**
   * Each file's raw bytes as they are read (readers that stream through readChunks call it;
   * parquet does not): the store hashes them so a big file is read once, not hashed first.
   */
  onRaw?: (file: string, chunk: Buffer) => void;
}

/** MedS-Ins `RewriteDefinitions.json`: instruction variants per task id (`task114` -> …). */
export interface DefinitionsPlan {
  kind: 'definitions';
  file: string;
  files: string[];
  layout: 'meds-ins-definitions';
  benchmark: { name: string; title: string };
  totalBytes: number;
  read(opts?: { onBytes?: (bytesRead: number) => void; signal?: AbortSignal }): Promise<Map<string, DefinitionVariants>>;
}

export type ImportPlan = SourcePlan | DefinitionsPlan;

export function isDefinitionsPlan(p: ImportPlan): p is DefinitionsPlan {
  return p.kind === 'definitions';
}

export interface PlanOptions {
  /** User column mapping: when given, every file is read with the generic reader. */
  mapping?: ColumnMapping;
  /**
   * Benchmark key. With a mapping it names the benchmark of the generic import; without one it
   * settles ambiguous layouts (`medinst` vs `medinst32` parquet, `meds-bench` vs `meds-ins`).
   */
  benchmark?: string;
  /** Descriptor parts for the generic reader. */
  target?: GenericTarget;
  /**
   * Inside a folder, pass over files in no known layout instead of stopping (a file named on
   * its own still fails): each is reported through `onUnknown`.
   */
  skipUnknown?: boolean;
  onUnknown?(file: string, reason: string): void;
}

export const BENCHMARKS = {
  medinst: { name: 'medinst', title: 'MedINST' },
  medinst32: { name: 'medinst32', title: 'MedINST32' },
  'meds-bench': { name: 'meds-bench', title: 'MedS-Bench' },
  'meds-ins': { name: 'meds-ins', title: 'MedS-Ins' },
} as const;

/** What the detector looks for; quoted in the "unknown layout" message. */
export const KNOWN_LAYOUTS: readonly string[] = [
  'medinst32-json: unseen_tests/<Task>.json, unseen_tests_zs/<Task>.json, merged_train_100k.json, unseen_train_100k.json',
  'medinst32-parquet: <Task>/test/0000.parquet, <Task>-zs/test/0000.parquet',
  'medinst-parquet: <Config>/<train|dev|test>/0000.parquet (or -0000N-of-0000M shards)',
  'medinst-json: <Config>/<train|dev|test>.json(l), or files named by a README `configs:` section',
  'meds-bench-task: <Category>/task<ID>_<name>.json(l)',
  'meds-ins-task: task<ID>_<name>.json(l) in a flat folder',
  'meds-ins-definitions: RewriteDefinitions.json',
  'generic: any .json/.jsonl/.csv/.parquet with a column mapping',
];

const SKIP_NAMES = new Set([
  'readme.md',
  '.gitattributes',
  '.gitignore',
  'license',
  'license.md',
  'license.txt',
  'dataset_infos.json',
  'dataset_info.json',
  'state.json',
  'dataset_dict.json',
]);
const DATA_EXT = new Set(['.json', '.jsonl', '.parquet', '.csv']);
const SPLIT_ALIASES: Record<string, SplitName> = { train: 'train', dev: 'dev', validation: 'dev', valid: 'dev', val: 'dev', test: 'test' };
const MEDS_BENCH_CATEGORIES = new Set(
  [
    'Clinical_outcome_prediction',
    'Diagnosis',
    'Explanation',
    'Fact_verication',
    'Fact_verification',
    'Information_extraction',
    'MCQA',
    'NER',
    'NLI',
    'Rationale',
    'Text_classification',
    'Text_summarization',
    'Treatment_planning',
  ].map((s) => s.toLowerCase()),
);
const TASK_FILE = /^(task\d+)_.+\.jsonl?$/i;
const SHARD = /^(.*?)-(\d{5})-of-(\d{5})\.(parquet|jsonl?)$/i;
/** The Hub parquet branch's numbering: `0000.parquet`, `0001.parquet`, … (no total). */
const HUB_SHARD = /^(\d{4})\.parquet$/i;

interface Candidate {
  file: string;
  layout: LayoutName;
  descriptor: TaskDescriptor;
  /** Candidates with the same group key are shards of one source. */
  group?: string;
}

interface FolderContext {
  /** Dataset root (folder holding a README with `configs:`), and the (config, split) of each file it names. */
  readme?: { root: string; flavour: 'medinst' | 'medinst32' | null; byFile: Map<string, { config: string; split: string }> };
  /** Config folder names seen next to each other (parquet layouts). */
  siblingConfigs?: Set<string>;
  /** Splits seen per config folder name in the same folder import. */
  configSplits?: Map<string, SplitName[]>;
}

function noExt(name: string): string {
  return name.replace(/\.(jsonl?|parquet|csv)$/i, '');
}

function splitOf(name: string): SplitName | null {
  return SPLIT_ALIASES[name.toLowerCase()] ?? null;
}

function descriptor(bench: { name: string; title: string }, task: string, category: string | null, config: TaskConfig, split: SplitName): TaskDescriptor {
  return { benchmark: { name: bench.name, title: bench.title }, task, category, config, split };
}

function unknownLayout(file: string, why?: string): ImportError {
  const list = KNOWN_LAYOUTS.map((l) => `  - ${l}`).join('\n');
  const e = importError({ file }, `unknown layout${why ? ` (${why})` : ''}. Looked for:\n${list}`);
  return new UnknownLayoutError(e.message, e.file, e.location);
}

/** MedINST32 config name (parquet branch) -> task + few/zero-shot. */
function medinst32Config(name: string): { task: string; config: TaskConfig; split?: SplitName; category: string | null } {
  if (/^(merged|unseen)_train_100k$/i.test(name)) return { task: name, config: 'default', split: 'train', category: null };
  let base = name;
  let config: TaskConfig = 'few-shot';
  const m = /^(.*?)(-zs|_zero|-zero)$/i.exec(name);
  if (m) {
    base = m[1]!;
    config = 'zero-shot';
  }
  const task = canonicalMedinst32Task(base);
  return { task, config, category: medinst32Category(task) };
}

function ancestorsSay(file: string): 'medinst' | 'medinst32' | 'meds-bench' | 'meds-ins' | null {
  const segs = path.dirname(file).split(path.sep).reverse();
  for (const raw of segs) {
    const s = raw.toLowerCase().replace(/_/g, '-');
    if (s.includes('medinst32')) return 'medinst32';
    if (s.includes('medinst')) return 'medinst';
    if (s.includes('meds-bench')) return 'meds-bench';
    if (s.includes('meds-ins')) return 'meds-ins';
  }
  return null;
}

function medinstFlavour(file: string, configName: string, split: SplitName, opts: PlanOptions, ctx: FolderContext, json = false): 'medinst' | 'medinst32' {
  if (opts.benchmark === 'medinst' || opts.benchmark === 'medinst32') return opts.benchmark;
  if (ctx.readme?.flavour && file.startsWith(ctx.readme.root)) return ctx.readme.flavour;
  const anc = ancestorsSay(file);
  if (anc === 'medinst' || anc === 'medinst32') return anc;
  if (/(-zs|_zero)$/i.test(configName) || /^(merged|unseen)_train_100k$/i.test(configName)) return 'medinst32';
  if (ctx.siblingConfigs && [...ctx.siblingConfigs].some((c) => /(-zs|_zero)$/i.test(c))) return 'medinst32';
  if (split !== 'test' || json) return 'medinst'; // MedINST32 ships JSON only as unseen_tests*/ and *_train_100k
  if (ctx.configSplits?.get(configName)?.some((s) => s !== 'test')) return 'medinst';
  return medinst32Category(canonicalMedinst32Task(configName)) ? 'medinst32' : 'medinst';
}

async function classify(file: string, opts: PlanOptions, ctx: FolderContext): Promise<Candidate | 'skip' | 'definitions'> {
  const base = path.basename(file);
  const lower = base.toLowerCase();
  const ext = path.extname(lower);
  const dir = path.basename(path.dirname(file));
  const grand = path.basename(path.dirname(path.dirname(file)));

  if (opts.mapping) return genericCandidate(file, opts);
  if (lower === 'rewritedefinitions.json') return 'definitions';

  // natural-instructions task files
  const tm = TASK_FILE.exec(base);
  if (tm) {
    const taskId = tm[1]!.toLowerCase();
    let bench: 'meds-bench' | 'meds-ins';
    if (opts.benchmark === 'meds-bench' || opts.benchmark === 'meds-ins') bench = opts.benchmark;
    else {
      const anc = ancestorsSay(file);
      if (anc === 'meds-bench' || anc === 'meds-ins') bench = anc;
      else bench = MEDS_BENCH_CATEGORIES.has(dir.toLowerCase()) ? 'meds-bench' : 'meds-ins';
    }
    const task = noExt(base);
    const d = descriptor(BENCHMARKS[bench], task, bench === 'meds-bench' ? dir : null, 'default', bench === 'meds-bench' ? 'test' : 'train');
    d.taskId = taskId;
    return { file, layout: bench === 'meds-bench' ? 'meds-bench-task' : 'meds-ins-task', descriptor: d };
  }

  // README configs mapping (Hub dataset root)
  const mapped = ctx.readme?.byFile.get(file);
  if (mapped) {
    const split = splitOf(mapped.split);
    if (!split) throw importError({ file }, `README configs name split "${mapped.split}", which is not train, dev/validation or test`);
    const flavour = ctx.readme!.flavour ?? medinstFlavour(file, mapped.config, split, opts, ctx);
    const isParquet = ext === '.parquet';
    if (flavour === 'medinst32') {
      const c = medinst32Config(mapped.config);
      return {
        file,
        layout: isParquet ? 'medinst32-parquet' : 'medinst32-json',
        descriptor: descriptor(BENCHMARKS.medinst32, c.task, c.category, c.config, c.split ?? split),
        group: `readme:${mapped.config}:${split}`,
      };
    }
    return {
      file,
      layout: isParquet ? 'medinst-parquet' : 'medinst-json',
      descriptor: descriptor(BENCHMARKS.medinst, mapped.config, medinstCategory(mapped.config), 'default', split),
      group: `readme:${mapped.config}:${split}`,
    };
  }

  // MedINST32 JSON
  if (ext === '.json' || ext === '.jsonl') {
    const stem = noExt(base);
    if (/^(merged|unseen)_train_100k$/i.test(stem)) {
      return { file, layout: 'medinst32-json', descriptor: descriptor(BENCHMARKS.medinst32, stem, null, 'default', 'train') };
    }
    const d = dir.toLowerCase();
    if (d === 'unseen_tests' || d === 'unseen_tests_zs') {
      const task = canonicalMedinst32Task(stem);
      return {
        file,
        layout: 'medinst32-json',
        descriptor: descriptor(BENCHMARKS.medinst32, task, medinst32Category(task), d === 'unseen_tests' ? 'few-shot' : 'zero-shot', 'test'),
      };
    }
  }

  // <Config>/<split>/<file>.parquet|json(l)  and  <Config>/<split>.json(l)
  if (DATA_EXT.has(ext) && ext !== '.csv') {
    let config: string | null = null;
    let split: SplitName | null = null;
    let group: string | undefined;
    if (splitOf(dir) && grand) {
      config = grand;
      split = splitOf(dir);
      group = path.dirname(file);
    } else if (ext !== '.parquet' && splitOf(noExt(base)) && dir) {
      config = dir;
      split = splitOf(noExt(base));
    } else if (SHARD.test(base) && splitOf(SHARD.exec(base)![1]!) && dir) {
      config = dir;
      split = splitOf(SHARD.exec(base)![1]!);
      group = `${path.dirname(file)}:${split}`;
    }
    if (config && split) {
      const isParquet = ext === '.parquet';
      const flavour = medinstFlavour(file, config, split, opts, ctx, !isParquet);
      if (flavour === 'medinst32') {
        const c = medinst32Config(config);
        return {
          file,
          layout: isParquet ? 'medinst32-parquet' : 'medinst32-json',
          descriptor: descriptor(BENCHMARKS.medinst32, c.task, c.category, c.config, c.split ?? split),
          group,
        };
      }
      return {
        file,
        layout: isParquet ? 'medinst-parquet' : 'medinst-json',
        descriptor: descriptor(BENCHMARKS.medinst, config, medinstCategory(config), 'default', split),
        group,
      };
    }
  }
  if (!DATA_EXT.has(ext)) throw unknownLayout(file, `"${ext || base}" is not a data file type (.json, .jsonl, .parquet, .csv)`);
  throw unknownLayout(file);
}

function genericCandidate(file: string, opts: PlanOptions): Candidate {
  const t = opts.target ?? {};
  const name = t.benchmark ?? opts.benchmark ?? 'custom';
  const known = (BENCHMARKS as Record<string, { name: string; title: string }>)[name];
  const bench = { name, title: t.benchmarkTitle ?? known?.title ?? name };
  const task = t.task ?? noExt(path.basename(file));
  return { file, layout: 'generic', descriptor: descriptor(bench, task, t.category ?? null, t.config ?? 'default', t.split ?? 'test') };
}

// ---------------------------------------------------------------- readers

function withDefaults(opts?: PlanReadOptions): PlanReadOptions {
  return opts ?? {};
}

/** One file's reader options: the plan's, with onRaw naming that file. */
function forFile(opts: PlanReadOptions | undefined, file: string, offset = 0): ReadOptions {
  const o = opts ?? {};
  return {
    signal: o.signal,
    onBytes: o.onBytes ? (n) => o.onBytes!(offset + n) : undefined,
    onRaw: o.onRaw ? (c) => o.onRaw!(file, c) : undefined,
  };
}

/** Streams several files in turn, with cumulative byte counts and continuous record indices. */
async function* multiFile(
  files: string[],
  sizes: number[],
  opts: PlanReadOptions,
  each: (file: string, o: ReadOptions) => AsyncIterable<RawRecord>,
): AsyncGenerator<RawRecord & { file: string }> {
  let base = 0;
  let offset = 0;
  for (let k = 0; k < files.length; k++) {
    const file = files[k]!;
    const o = forFile(opts, file, offset);
    let last = -1;
    for await (const r of each(file, o)) {
      last = r.index;
      yield { ...r, index: base + r.index, file };
    }
    base += last + 1;
    offset += sizes[k] ?? 0;
  }
}

/**
 * MedINST and MedINST32 records name no language and no source: one config is one source
 * dataset (the issue's data model), and the language facet would hide the tasks without
 * languages. `*_train_100k` mix many datasets, so they get no source dataset.
 */
function medinstTaskInfo(d: TaskDescriptor): void {
  d.sourceDataset = /^(merged|unseen)_train_100k$/i.test(d.task) ? null : d.task;
  d.languages = medinstLanguages(d.task, d.category);
}

async function makeRecordPlan(c: Candidate, files: string[], opts: PlanOptions): Promise<SourcePlan> {
  const sizes = await Promise.all(files.map(async (f) => (await stat(f)).size));
  const totalBytes = sizes.reduce((a, b) => a + b, 0);
  const plan = (read: SourcePlan['read']): SourcePlan => ({
    kind: 'records',
    file: c.file,
    files,
    layout: c.layout,
    descriptor: c.descriptor,
    totalBytes,
    read,
  });

  switch (c.layout) {
    case 'medinst32-json':
    case 'medinst-json': {
      medinstTaskInfo(c.descriptor);
      for (const f of files) {
        const s = await sniffJson(f);
        if (s.shape === 'empty') throw importError({ file: f }, 'the file is empty');
      }
      return plan(async function* (o) {
        for await (const r of multiFile(files, sizes, withDefaults(o), (f, oo) => readJsonRecords(f, oo))) {
          yield normaliseMedinst(r.value, { file: r.file, line: r.line, record: r.index });
        }
      });
    }
    case 'medinst32-parquet':
    case 'medinst-parquet': {
      medinstTaskInfo(c.descriptor);
      let rows = 0;
      for (const f of files) {
        const info = await parquetInfo(f);
        for (const col of ['instruction', 'input', 'output']) {
          if (!info.columns.includes(col))
            throw importError({ file: f }, `is missing: the parquet file has no "${col}" column (columns: ${info.columns.join(', ')})`, col);
        }
        rows += info.numRows;
      }
      c.descriptor.expectedCount = rows;
      return plan(async function* (o) {
        for await (const r of readParquetRows(files, { signal: o?.signal, onBytes: o?.onBytes })) {
          yield normaliseMedinst(r.row, { file: r.file, record: r.index });
        }
      });
    }
    case 'meds-bench-task':
    case 'meds-ins-task': {
      const meta = await readNatInstMeta(c.file);
      const d = c.descriptor;
      const instruction = meta.definitions[0]!; // readNatInstMeta rejects a file without one
      d.definition = instruction;
      d.definitions = meta.definitions;
      d.positiveExamples = meta.positiveExamples;
      d.negativeExamples = meta.negativeExamples;
      d.categories = meta.categories;
      d.domains = meta.domains;
      d.inputLanguages = meta.inputLanguages;
      d.outputLanguages = meta.outputLanguages;
      d.instructionLanguages = meta.instructionLanguages;
      d.contributors = meta.contributors;
      d.sources = meta.sources;
      d.urls = meta.urls;
      d.reasoning = meta.reasoning;
      d.sourceDataset = meta.sources.length ? meta.sources.join(', ') : null;
      d.languages = [...new Set([...meta.inputLanguages, ...meta.outputLanguages, ...meta.instructionLanguages])];
      d.expectedCount = meta.instanceCount;
      if (c.layout === 'meds-ins-task' && d.category === null) d.category = meta.categories[0] ?? null;
      return plan((o) => readNatInstInstances(c.file, instruction, forFile(o, c.file)));
    }
    case 'generic':
      return genericPlan(c, files, sizes, totalBytes, opts);
    default:
      throw unknownLayout(c.file);
  }
}

async function genericPlan(c: Candidate, files: string[], sizes: number[], totalBytes: number, opts: PlanOptions): Promise<SourcePlan> {
  const mapping = opts.mapping!;
  const ext = path.extname(c.file).toLowerCase();
  const instruction = opts.target?.instruction ?? '';
  let each: (file: string, o: ReadOptions) => AsyncIterable<RawRecord>;
  if (ext === '.parquet') {
    const info = await parquetInfo(c.file);
    for (const col of [mapping.instruction, mapping.input, mapping.output, mapping.history, mapping.id]) {
      if (col && !info.columns.includes(col))
        throw importError({ file: c.file }, `is missing: the parquet file has no column "${col}" (columns: ${info.columns.join(', ')})`, col);
    }
    c.descriptor.expectedCount = info.numRows;
    each = async function* (f, o) {
      for await (const r of readParquetRows([f], o)) yield { index: r.index, line: NaN, value: r.row };
    };
  } else if (ext === '.csv') {
    each = (f, o) => readCsvRecords(f, o);
  } else if (ext === '.json' || ext === '.jsonl') {
    const s = await sniffJson(c.file);
    if (s.shape === 'empty') throw importError({ file: c.file }, 'the file is empty');
    each = s.shape === 'array' ? (f, o) => readJsonArray(f, o) : (f, o) => readJsonLines(f, o);
  } else throw unknownLayout(c.file, `the generic reader takes .json, .jsonl, .csv or .parquet, not "${ext}"`);
  return {
    kind: 'records',
    file: c.file,
    files,
    layout: 'generic',
    descriptor: c.descriptor,
    totalBytes,
    read: async function* (o) {
      for await (const r of multiFile(files, sizes, withDefaults(o), each)) {
        const where = Number.isNaN(r.line) ? { file: r.file, record: r.index } : { file: r.file, line: r.line, record: r.index };
        yield normaliseMapped(r.value, where, mapping, instruction);
      }
    },
  };
}

function makeDefinitionsPlan(file: string, size: number): DefinitionsPlan {
  return {
    kind: 'definitions',
    file,
    files: [file],
    layout: 'meds-ins-definitions',
    benchmark: { ...BENCHMARKS['meds-ins'] },
    totalBytes: size,
    read: (o) => readDefinitions(file, forFile(o, file)),
  };
}

// ---------------------------------------------------------------- folders

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name === 'node_modules') continue;
      await walk(p, out);
    } else if (e.isFile() || e.isSymbolicLink()) out.push(p);
  }
}

async function readmeContext(root: string, files: string[]): Promise<FolderContext['readme'] | undefined> {
  const readmes = files.filter((f) => path.basename(f).toLowerCase() === 'readme.md').sort((a, b) => a.length - b.length || a.localeCompare(b));
  for (const readme of readmes) {
    const text = await readFile(readme, 'utf8');
    const configs = hubConfigs(text, readme);
    if (!configs.length) continue;
    const dsRoot = path.dirname(readme);
    const byFile = new Map<string, { config: string; split: string }>();
    const rel = files.map((f) => [f, path.relative(dsRoot, f).split(path.sep).join('/')] as const);
    for (const c of configs) {
      for (const pat of c.patterns) {
        const re = globToRegExp(pat.replace(/^\.\//, ''));
        for (const [abs, r] of rel) if (re.test(r) && !byFile.has(abs)) byFile.set(abs, { config: c.config, split: c.split });
      }
    }
    const t = text.toLowerCase();
    const flavour = /medinst\s*-?32/.test(t) ? 'medinst32' : t.includes('medinst') ? 'medinst' : null;
    void root;
    return { root: dsRoot, flavour, byFile };
  }
  return undefined;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const listSome = (xs: string[], max = 10): string => (xs.length > max ? `${xs.slice(0, max).join(', ')}, … (${xs.length} in all)` : xs.join(', '));

/**
 * A sharded split must be whole: a download cut short, or one shard given on its own, would
 * otherwise import as if it were the complete split. `-0000N-of-0000M` names say how many
 * shards there are; the Hub parquet branch's `0000.parquet, 0001.parquet, …` say nothing of
 * the total, so there only gaps can be found (not a missing last shard).
 */
function checkShards(files: readonly string[]): void {
  const ofN = new Map<string, { folder: string; prefix: string; ext: string; totals: Set<string>; have: Set<number> }>();
  const hub = new Map<string, Set<number>>();
  for (const f of files) {
    const folder = path.dirname(f);
    const m = SHARD.exec(path.basename(f));
    const h = HUB_SHARD.exec(path.basename(f));
    if (m) {
      const key = [folder, m[1], m[4]].join('\u0000');
      const s = ofN.get(key) ?? { folder, prefix: m[1]!, ext: m[4]!, totals: new Set<string>(), have: new Set<number>() };
      s.totals.add(m[3]!);
      s.have.add(Number(m[2]));
      ofN.set(key, s);
    } else if (h) hub.set(folder, (hub.get(folder) ?? new Set<number>()).add(Number(h[1])));
  }
  for (const s of ofN.values()) {
    const totals = [...s.totals].sort();
    if (totals.length > 1)
      throw importError({ file: s.folder }, `the ${s.prefix}-NNNNN-of-NNNNN.${s.ext} files disagree on the number of shards (${totals.join(', ')})`);
    const total = totals[0]!;
    const n = Number(total);
    const beyond = [...s.have].filter((k) => k >= n).sort((a, b) => a - b);
    if (beyond.length) throw importError({ file: s.folder }, `shard ${pad(beyond[0]!, 5)} of ${total} is out of range (shards are numbered from 00000)`);
    const missing = [...Array(n).keys()].filter((k) => !s.have.has(k));
    if (missing.length) {
      const names = missing.map((k) => `${s.prefix}-${pad(k, 5)}-of-${total}.${s.ext}`);
      throw importError(
        { file: s.folder },
        `the split is incomplete: missing ${missing.length === 1 ? 'shard' : 'shards'} ${listSome(missing.map((k) => pad(k, 5)))} of ${total} (${listSome(names)})`,
      );
    }
  }
  for (const [folder, have] of hub) {
    const missing = [...Array(Math.max(...have)).keys()].filter((k) => !have.has(k));
    if (missing.length) {
      const names = missing.map((k) => `${pad(k, 4)}.parquet`);
      throw importError(
        { file: folder },
        `the split is incomplete: missing ${missing.length === 1 ? 'shard' : 'shards'} ${listSome(missing.map((k) => pad(k, 4)))} (${listSome(names)}); the parquet branch numbers shards from 0000 without gaps`,
      );
    }
  }
}

/**
 * dedupeSplits keeps one of two files that hold the same split only when they hold as many
 * rows, so every such plan gets its row count here: parquet and natural-instructions plans
 * know theirs already, a JSON Lines file has its lines counted and any other JSON file is read
 * once to count (only when it has a twin).
 */
async function countTwins(plans: ImportPlan[]): Promise<void> {
  const bySplit = new Map<string, SourcePlan[]>();
  for (const p of plans) {
    if (p.kind !== 'records') continue;
    const d = p.descriptor;
    const key = [d.benchmark.name, d.task, d.config, d.split].join('\u0000');
    bySplit.set(key, [...(bySplit.get(key) ?? []), p]);
  }
  for (const g of bySplit.values()) {
    if (g.length < 2) continue;
    for (const p of g) {
      if (p.descriptor.expectedCount != null) continue;
      p.descriptor.expectedCount = await countRecords(p);
    }
  }
}

/** JSON Lines files are counted by their lines; anything else is read. */
async function countRecords(p: SourcePlan): Promise<number> {
  if (p.layout === 'medinst32-json' || p.layout === 'medinst-json') {
    const shapes = await Promise.all(p.files.map((f) => sniffJson(f)));
    if (shapes.every((s) => s.shape === 'jsonl')) {
      let n = 0;
      for (const f of p.files) n += await countJsonLines(f);
      return n;
    }
  }
  let n = 0;
  for await (const _ of p.read()) n++;
  return n;
}

function groupKey(c: Candidate): string {
  const d = c.descriptor;
  return [c.layout, d.benchmark.name, d.task, d.config, d.split, c.group].join('\u0000');
}

/**
 * Plans the import of files and folders. Folders are walked; README/.gitattributes and other
 * non-data files are skipped; a Hub README `configs:` section, when present, names each file's
 * config and split. Shards of one (task, config, split) become one plan. Plans come back sorted
 * by benchmark, task, config, split, file.
 */
export async function planImport(paths: string[], opts: PlanOptions = {}): Promise<ImportPlan[]> {
  const candidates: Candidate[] = [];
  const definitions: DefinitionsPlan[] = [];
  for (const p0 of paths) {
    const p = path.resolve(p0);
    let st;
    try {
      st = await stat(p);
    } catch {
      throw importError({ file: p }, 'no such file or folder');
    }
    let files: string[];
    let ctx: FolderContext = {};
    const folder = st.isDirectory();
    if (folder) {
      files = [];
      await walk(p, files);
      files.sort();
      const configSplits = new Map<string, SplitName[]>();
      for (const f of files) {
        const sp = splitOf(path.basename(path.dirname(f)));
        if (!sp) continue;
        const cfg = path.basename(path.dirname(path.dirname(f)));
        configSplits.set(cfg, [...(configSplits.get(cfg) ?? []), sp]);
      }
      ctx = { readme: await readmeContext(p, files), configSplits };
    } else files = [p];
    for (const f of files) {
      const lower = path.basename(f).toLowerCase();
      if (folder) {
        if (SKIP_NAMES.has(lower) || lower.endsWith('.md') || lower.endsWith('.txt') || lower.endsWith('.py') || lower.endsWith('.lock')) continue;
        if (!DATA_EXT.has(path.extname(lower))) continue;
      }
      // sibling config folders, for MedINST vs MedINST32 parquet
      const fctx: FolderContext = { ...ctx };
      if (folder) {
        const cfgDir = path.dirname(path.dirname(f));
        fctx.siblingConfigs = new Set(
          files.filter((x) => path.dirname(path.dirname(path.dirname(x))) === path.dirname(cfgDir)).map((x) => path.basename(path.dirname(path.dirname(x)))),
        );
      }
      let c: Awaited<ReturnType<typeof classify>>;
      try {
        c = await classify(f, opts, fctx);
      } catch (err) {
        if (!(folder && err instanceof UnknownLayoutError)) throw err;
        if (!opts.skipUnknown) {
          err.inFolder = true;
          throw err;
        }
        opts.onUnknown?.(f, 'in no known layout');
        continue;
      }
      if (c === 'skip') continue;
      if (c === 'definitions') {
        definitions.push(makeDefinitionsPlan(f, (await stat(f)).size));
        continue;
      }
      candidates.push(c);
    }
  }
  // group shards
  const groups = new Map<string, Candidate[]>();
  for (const c of candidates) {
    const k = c.group ? groupKey(c) : `${groupKey(c)}\u0000${c.file}`;
    const g = groups.get(k);
    if (g) {
      if (!g.some((x) => x.file === c.file)) g.push(c);
    } else groups.set(k, [c]);
  }
  const plans: ImportPlan[] = [];
  for (const g of groups.values()) {
    g.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    if (g[0]!.group) checkShards(g.map((x) => x.file));
    plans.push(
      await makeRecordPlan(
        g[0]!,
        g.map((x) => x.file),
        opts,
      ),
    );
  }
  await countTwins(plans);
  plans.push(...definitions);
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const sortKey = (p: ImportPlan): string[] =>
    p.kind === 'definitions'
      ? [p.benchmark.name, '\uffff', '', '', p.file]
      : [p.descriptor.benchmark.name, p.descriptor.task, p.descriptor.config, p.descriptor.split, p.file];
  plans.sort((a, b) => {
    const ka = sortKey(a);
    const kb = sortKey(b);
    for (let i = 0; i < ka.length; i++) {
      const r = cmp(ka[i]!, kb[i]!);
      if (r) return r;
    }
    return 0;
  });
  return plans;
}
