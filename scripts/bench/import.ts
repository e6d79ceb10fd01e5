/**
 * npm run bench:import [-- --rows N] [-- --10m] [-- --only corpus|single] [-- --single-rows N] [-- --rounds N] [-- --keep] [-- --reuse DIR]
 * Imports a synthetic MedINST-shaped corpus through the real importer and reports rows/s,
 * MB/s, peak RSS, database size, and at that scale the latency of listing tasks, a deep
 * page and FTS queries; beside it a floor (same rows parsed and inserted into a plain
 * table, no indexes, no FTS) and our time as a ratio to it. Each phase runs in its own
 * process so peak RSS is its own.
 * Second shape: one big task file (200,000 ~1 KB records, MedINST32 `unseen_tests/` JSON Lines),
 * imported by the real `medtask import` command, timed from process start to exit, against the
 * same floor; floor and command interleaved for several rounds, medians reported.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import Database from 'better-sqlite3';
import { MedtaskCore } from '../../src/core/service';
import { COUNT_LIMIT } from '../../src/core/search/query';
import { writeCorpus, writeSingleTaskFile, type CorpusInfo } from './corpus';
import { writePerfSection } from './perfDoc';

let queriesSeen: string[] = [];

interface PhaseResult {
  queries?: string[];
  seconds: number;
  rows: number;
  peakRssMb: number;
  dbBytes: number;
  latency?: Record<string, { p50: number; p95: number; n: number }>;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

function dirBytes(dir: string): number {
  return fs.readdirSync(dir).reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
}

function percentiles(samples: number[]): { p50: number; p95: number; n: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { p50: +at(0.5).toFixed(3), p95: +at(0.95).toFixed(3), n: s.length };
}

function time(fn: () => void, repeat: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    fn();
    out.push(performance.now() - t0);
  }
  return out;
}

async function floorPhase(corpus: CorpusInfo, home: string): Promise<PhaseResult> {
  fs.mkdirSync(home, { recursive: true });
  const db = new Database(path.join(home, 'floor.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE items (task TEXT, instruction TEXT, input TEXT, output TEXT)');
  const insert = db.prepare('INSERT INTO items VALUES (?, ?, ?, ?)');
  const t0 = performance.now();
  let rows = 0;
  db.exec('BEGIN');
  for (const file of corpus.files) {
    const task = path.basename(path.dirname(file));
    const rl = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
    for await (const line of rl) {
      if (!line) continue;
      const r = JSON.parse(line) as { instruction: string; input: string; output: string };
      insert.run(task, r.instruction, r.input, r.output);
      rows++;
    }
  }
  db.exec('COMMIT');
  const seconds = (performance.now() - t0) / 1000;
  db.close();
  return { seconds, rows, peakRssMb: peakRssMb(), dbBytes: dirBytes(home) };
}

async function oursPhase(corpus: CorpusInfo, home: string): Promise<PhaseResult> {
  const core = new MedtaskCore({ home });
  const t0 = performance.now();
  const result = await core.importPaths([corpus.dir]);
  const seconds = (performance.now() - t0) / 1000;
  const rows = result.splits.reduce((n, s) => n + s.itemCount, 0);
  const peak = peakRssMb();
  // Said at once: the latency figures that follow take minutes at 10M items (a quiet 10M run was
  // once stopped in them, taken for a slow import).
  process.stderr.write(`  import done: ${seconds.toFixed(1)} s for ${rows.toLocaleString('en-US')} rows; measuring latency …\n`);
  core.db.pragma('wal_checkpoint(TRUNCATE)');
  const measured = await latencyAtScale(core, corpus, rows);
  core.close();
  return { seconds, rows, peakRssMb: peak, dbBytes: dirBytes(home), ...measured };
}

/** Latency of listing, paging and searching on a library just written (or kept by `--keep`). */
async function latencyAtScale(core: MedtaskCore, corpus: CorpusInfo, rows: number): Promise<Pick<PhaseResult, 'latency' | 'queries'>> {
  const tasks = core.handlers.listTasks({}) as ReturnType<typeof core.handlers.listTasks> & unknown[];
  const biggest = [...(tasks as { id: number; itemCount: number }[])].sort((a, b) => b.itemCount - a.itemCount)[0]!;
  const deepAfter = Math.max(0, biggest.itemCount - 150);
  const latency: PhaseResult['latency'] = {
    'list tasks': percentiles(time(() => core.handlers.listTasks({}), 50)),
    'list benchmarks': percentiles(time(() => core.handlers.listBenchmarks({}), 50)),
    'page 1 (100 items)': percentiles(time(() => core.handlers.pageItems({ taskId: biggest.id, limit: 100 }), 50)),
    [`deep page (after #${deepAfter})`]: percentiles(time(() => core.handlers.pageItems({ taskId: biggest.id, after: deepAfter, limit: 100 }), 50)),
    'get item': percentiles(time(() => core.handlers.getItem({ itemId: 1 + Math.floor(rows / 2) }), 50)),
  };
  const fts: number[] = [];
  const ranked: string[] = [];
  const perQuery = new Map<string, number[]>(corpus.queries.map((q) => [q, []]));
  for (let round = 0; round < 3; round++) {
    for (const q of corpus.queries) {
      const t = performance.now();
      const r = await core.handlers.search({ query: q, limit: 50, offset: 0 });
      const ms = performance.now() - t;
      fts.push(ms);
      perQuery.get(q)!.push(ms);
      if (round === 0)
        ranked.push(`${q} → ${r.total.toLocaleString('en-US')}${r.exact ? '' : '+ (counted in the background)'}${r.ranked ? '' : ' (unranked)'}`);
    }
  }
  // Which query sets the p95: each query's median next to its match count.
  ranked.forEach((line, i) => (ranked[i] = `${line}, ${median(perQuery.get(corpus.queries[i]!)!).toFixed(0)} ms`));
  latency[`FTS search (10 queries x3, top 50 + facets, exact up to ${COUNT_LIMIT.toLocaleString('en-US')} matches)`] = percentiles(fts);
  process.stderr.write(`  search: p50 ${percentiles(fts).p50} ms, p95 ${percentiles(fts).p95} ms; background exact counts …\n`);
  // The background call the UI makes when a search answered with lower bounds (exact: false).
  const background: number[] = [];
  const bgPerQuery = new Map<string, number[]>();
  for (let round = 0; round < 3; round++) {
    for (const q of corpus.queries) {
      if ((await core.handlers.search({ query: q, limit: 1, offset: 0 })).exact) continue;
      const t = performance.now();
      await core.handlers.searchFacets({ query: q });
      background.push(performance.now() - t);
      if (!bgPerQuery.has(q)) bgPerQuery.set(q, []);
      bgPerQuery.get(q)!.push(performance.now() - t);
    }
  }
  if (background.length) latency['searchFacets (background exact counts, the capped queries)'] = percentiles(background);
  // The user types the next query while the last one is still being counted: the count yields between
  // slices and is stopped, so the new search waits at most one slice (before, the whole count).
  const during: number[] = [];
  const capped: string[] = [];
  for (const q of corpus.queries) if (!(await core.handlers.search({ query: q, limit: 1, offset: 0 })).exact) capped.push(q);
  for (let round = 0; round < 3; round++) {
    for (const [i, q] of capped.entries()) {
      const counting = Promise.resolve(core.handlers.searchFacets({ query: q })).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 50));
      const next = corpus.queries[(corpus.queries.indexOf(q) + 1 + i + round) % corpus.queries.length]!;
      const t = performance.now();
      await core.handlers.search({ query: next === q ? `${q} clinical` : next, limit: 50, offset: 0 });
      during.push(performance.now() - t);
      await counting;
    }
  }
  if (during.length) latency['search typed while another query is counted in the background'] = percentiles(during);
  ranked.forEach((line, i) => {
    const bg = bgPerQuery.get(corpus.queries[i]!);
    if (bg) ranked[i] = `${line}, exact counts in ${median(bg).toFixed(0)} ms`;
  });
  queriesSeen = ranked;
  return { latency, queries: queriesSeen };
}

/** Only the latency figures, on a library that an earlier `--keep` run left behind. */
async function latencyPhase(corpus: CorpusInfo, home: string): Promise<PhaseResult> {
  const core = new MedtaskCore({ home });
  const rows = core.db.prepare('SELECT count(*) FROM items').pluck().get() as number;
  const measured = await latencyAtScale(core, corpus, rows);
  core.close();
  return { seconds: 0, rows, peakRssMb: peakRssMb(), dbBytes: dirBytes(home), ...measured };
}

async function child(): Promise<void> {
  const phase = arg('--phase')!;
  const corpus = JSON.parse(fs.readFileSync(arg('--corpus')!, 'utf8')) as CorpusInfo;
  const home = arg('--home')!;
  const result = phase === 'floor' ? await floorPhase(corpus, home) : phase === 'latency' ? await latencyPhase(corpus, home) : await oursPhase(corpus, home);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function runPhase(phase: string, corpusFile: string, home: string): PhaseResult {
  const out = execFileSync(process.execPath, [process.argv[1]!, '--phase', phase, '--corpus', corpusFile, '--home', home], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 24,
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as PhaseResult;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** The whole `medtask import FILE` command, process start to exit, through the built CLI. */
function commandSeconds(file: string, home: string): number {
  const bin = path.join(path.dirname(process.argv[1]!), '..', '..', 'bin', 'medtask.cjs');
  const t0 = performance.now();
  execFileSync(process.execPath, [bin, '--home', home, 'import', file], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, CI: '1' } });
  return (performance.now() - t0) / 1000;
}

async function singleFileShape(work: string): Promise<string> {
  const rows = Number(arg('--single-rows') ?? 200_000);
  const rounds = Number(arg('--rounds') ?? 3);
  const corpus = writeSingleTaskFile(path.join(work, 'single'), rows);
  const corpusFile = path.join(work, 'single.json');
  fs.writeFileSync(corpusFile, JSON.stringify(corpus));
  const mb = corpus.bytes / 1e6;
  const load = os.loadavg();
  process.stderr.write(`single file: ${rows.toLocaleString()} rows, ${mb.toFixed(0)} MB; ${rounds} rounds of floor then \`medtask import\` …\n`);
  const floors: number[] = [];
  const ours: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const fh = path.join(work, `single-floor-${r}`);
    floors.push(runPhase('floor', corpusFile, fh).seconds);
    fs.rmSync(fh, { recursive: true, force: true });
    const oh = path.join(work, `single-ours-${r}`);
    ours.push(commandSeconds(corpus.files[0]!, oh));
    fs.rmSync(oh, { recursive: true, force: true });
    process.stderr.write(`  round ${r + 1}: floor ${floors.at(-1)!.toFixed(2)} s, medtask import ${ours.at(-1)!.toFixed(2)} s\n`);
  }
  const f = median(floors);
  const o = median(ours);
  return [
    `Single big file: ${rows.toLocaleString('en-US')} records of ~1 KB in one MedINST32 \`unseen_tests/\` JSON Lines file, ${mb.toFixed(0)} MB; medians of ${rounds} interleaved rounds; load average at start ${load.map((x) => x.toFixed(1)).join(' / ')} on ${os.cpus().length} cores.`,
    '',
    '| | seconds (median) | all rounds | rows/s |',
    '|---|---:|---|---:|',
    `| floor (parse + plain insert, in-process) | ${f.toFixed(2)} | ${floors.map((x) => x.toFixed(2)).join(', ')} | ${Math.round(rows / f).toLocaleString('en-US')} |`,
    `| \`medtask import FILE\` (whole command, process start included) | ${o.toFixed(2)} | ${ours.map((x) => x.toFixed(2)).join(', ')} | ${Math.round(rows / o).toLocaleString('en-US')} |`,
    '',
    `Ratio to the floor: **${(o / f).toFixed(2)}×** (target ≤ 2.5).`,
  ].join('\n');
}

async function main(): Promise<void> {
  if (arg('--phase')) return child();
  if (arg('--only') === 'single') {
    const work = fs.mkdtempSync(path.join(arg('--tmp') ?? os.tmpdir(), 'medtask-bench-import-'));
    try {
      const body = await singleFileShape(work);
      process.stdout.write(`${body}\n`);
      writePerfSection('Import of one big task file (bench:import, single-file shape)', body);
    } finally {
      if (!process.argv.includes('--keep')) fs.rmSync(work, { recursive: true, force: true });
    }
    return;
  }
  const reuse = arg('--reuse');
  if (reuse) {
    // Re-measures search and paging on the library a `--keep` run left in REUSE, without importing again.
    const load = os.loadavg();
    const r = runPhase('latency', path.join(reuse, 'corpus.json'), path.join(reuse, 'ours'));
    const body = [
      `Latency only (\`--reuse\`), on the kept ${r.rows.toLocaleString('en-US')}-row library · ${new Date().toISOString().slice(0, 16)} UTC · load average at start ${load.map((x) => x.toFixed(1)).join(' / ')}`,
      '',
      '| query at this scale | p50 ms | p95 ms | n |',
      '|---|---:|---:|---:|',
      ...Object.entries(r.latency ?? {}).map(([k, v]) => `| ${k} | ${v.p50} | ${v.p95} | ${v.n} |`),
      '',
      `Queries, match counts and medians: ${(r.queries ?? []).map((q) => `\`${q}\``).join(', ')}.`,
    ].join('\n');
    process.stdout.write(`${body}\n`);
    return;
  }
  const rows = process.argv.includes('--10m') ? 10_000_000 : Number(arg('--rows') ?? 1_000_000);
  const startLoad = os.loadavg();
  const work = fs.mkdtempSync(path.join(arg('--tmp') ?? os.tmpdir(), 'medtask-bench-import-'));
  try {
    process.stderr.write(`generating ${rows.toLocaleString()} rows in ${work} …\n`);
    const tg = performance.now();
    const corpus = writeCorpus(path.join(work, 'MedINST-synthetic'), rows);
    const corpusFile = path.join(work, 'corpus.json');
    fs.writeFileSync(corpusFile, JSON.stringify(corpus));
    process.stderr.write(`  ${(corpus.bytes / 1e6).toFixed(0)} MB in ${((performance.now() - tg) / 1000).toFixed(1)} s\n`);
    process.stderr.write('floor: plain table, no indexes, no FTS …\n');
    const floor = runPhase('floor', corpusFile, path.join(work, 'floor'));
    // The floor's 820 MB are still dirty in the page cache: written back while ours runs, they
    // would slow it down for nothing. Deleted unwritten, they never reach the disk.
    fs.rmSync(path.join(work, 'floor'), { recursive: true, force: true });
    process.stderr.write(`  ${floor.seconds.toFixed(1)} s\nours: real importer with FTS …\n`);
    const ours = runPhase('ours', corpusFile, path.join(work, 'ours'));
    process.stderr.write(`  ${ours.seconds.toFixed(1)} s\n`);

    const mb = corpus.bytes / 1e6;
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    const lines = [
      `Command: \`npm run bench:import${rows === 1_000_000 ? '' : ` -- --rows ${rows}`}\` · ${os.cpus().length} × ${os.cpus()[0]?.model.trim()} · ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB · Node ${process.version} · ${new Date().toISOString().slice(0, 10)} · load average at start ${startLoad.map((x) => x.toFixed(1)).join(' / ')}`,
      '',
      `Corpus: ${fmt(corpus.rows)} rows in 133 tasks (MedINST JSON Lines layout), ${mb.toFixed(0)} MB; inputs 50–8,000 chars, outputs 1–2,000 (log-normal).`,
      '',
      '| | seconds | rows/s | MB/s | peak RSS | database |',
      '|---|---:|---:|---:|---:|---:|',
      `| floor (parse + plain insert) | ${floor.seconds.toFixed(1)} | ${fmt(floor.rows / floor.seconds)} | ${(mb / floor.seconds).toFixed(1)} | ${floor.peakRssMb} MB | ${fmt(floor.dbBytes / 1e6)} MB |`,
      `| MedTask import (validation, provenance, FTS5) | ${ours.seconds.toFixed(1)} | ${fmt(ours.rows / ours.seconds)} | ${(mb / ours.seconds).toFixed(1)} | ${ours.peakRssMb} MB | ${fmt(ours.dbBytes / 1e6)} MB |`,
      '',
      `Ratio to the floor: **${(ours.seconds / floor.seconds).toFixed(2)}×** (target ≤ 2.5). Rows/s target ≥ 50,000; peak RSS target < 300 MB.`,
      '',
      '| query at this scale | p50 ms | p95 ms | n |',
      '|---|---:|---:|---:|',
      ...Object.entries(ours.latency ?? {}).map(([k, v]) => `| ${k} | ${v.p50} | ${v.p95} | ${v.n} |`),
      '',
      `Queries, match counts and medians: ${(ours.queries ?? []).map((q) => `\`${q}\``).join(', ')}.`,
    ];
    const body = lines.join('\n');
    process.stdout.write(`${body}\n`);
    writePerfSection(`Import and library (bench:import, ${fmt(rows)} rows)`, body);
    if (arg('--only') !== 'corpus') {
      fs.rmSync(path.join(work, 'ours'), { recursive: true, force: true });
      const single = await singleFileShape(work);
      process.stdout.write(`\n${single}\n`);
      writePerfSection('Import of one big task file (bench:import, single-file shape)', single);
    }
  } finally {
    if (!process.argv.includes('--keep')) fs.rmSync(work, { recursive: true, force: true });
  }
}

await main();
