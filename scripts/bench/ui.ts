/**
 * npm run bench:ui [-- --items N] [-- --engine-only]
 * The Compare view at scale, in Chromium against the production build and the real core: a
 * compare of 2 runs and of 8 runs × 10,000 items (seeded synthetic outputs written through the
 * real run store and scored by the benchmark metrics). Reports the engine's compare call (cold:
 * per-item scores computed and cached; warm), time to first rows, time to apply a filter, to sort
 * by delta, and frame times while scrolling. Targets (issue 14): first rows < 1 s, filter and sort
 * < 200 ms, no frame over 50 ms while scrolling. Needs `npm run build` first.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { MedtaskCore } from '../../src/core/service';
import { createRunRow, recordItem, scoreRunRows, setRunStatus, type SelectedItem } from '../../src/core/runs/store';
import { extractAnswer, scoreRunTask } from '../../src/core/runs/scoring';
import { mulberry32 } from '../../src/core/random';
import { writePerfSection } from './perfDoc';

const itemsArg = process.argv.indexOf('--items');
const ITEMS = itemsArg >= 0 ? Number(process.argv[itemsArg + 1]) : 10_000;
const CHROMIUM = process.env.MEDTASK_CHROMIUM ?? '/usr/bin/chromium';
const LABELS = ['yes', 'no', 'maybe'];
const WORDS = 'patient trial cohort randomized placebo outcome mortality therapy dose biopsy lesion serum marker risk ratio survival'.split(' ');

/** Synthetic PubMedQA-shaped items (a MedINST32 cls task: label macro-F1 + ROUGE-L + word F1). */
function items(seed: number): SelectedItem[] {
  const rand = mulberry32(seed);
  return Array.from({ length: ITEMS }, (_, i) => {
    const words = Array.from({ length: 40 + Math.floor(rand() * 80) }, () => WORDS[Math.floor(rand() * WORDS.length)]);
    return {
      itemId: null,
      benchmark: 'medinst32',
      task: 'PubMedQA-labeled',
      index: i,
      input: `Question: ${words.join(' ')}?`,
      gold: [LABELS[Math.floor(rand() * 3)]!],
    };
  });
}

function writeRun(core: MedtaskCore, list: SelectedItem[], r: number): number {
  const rand = mulberry32(1000 + r);
  const accuracy = 0.5 + 0.05 * r;
  const runId = createRunRow(
    core.db,
    {
      name: `synthetic-${r + 1}`,
      kind: 'local',
      status: 'running',
      spec: null,
      modelLabel: `synthetic model ${r + 1}`,
      templateHash: null,
      metricMode: 'reference',
    },
    list,
  );
  core.db.transaction(() => {
    list.forEach((it, ord) => {
      const gold = it.gold[0]!;
      const out = rand() < accuracy ? gold : LABELS[(LABELS.indexOf(gold) + 1 + Math.floor(rand() * 2)) % 3]!;
      recordItem(core.db, runId, ord, {
        promptJson: 'null',
        renderedPrompt: null,
        rawOutput: out,
        extracted: extractAnswer(it.benchmark, it.task, out),
        promptTokens: 120,
        outputTokens: 2,
        latencyMs: 30 + rand() * 20,
        ttftMs: 10,
        error: null,
      });
    });
  })();
  scoreRunRows(core.db, runId, 'reference', (b, t, p, g) => scoreRunTask(b, t, p, g, 'reference'));
  setRunStatus(core.db, runId, 'done');
  return runId;
}

async function serve(home: string): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, ['bin/medtask.cjs', '--home', home, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Open (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

/** Milliseconds from an action in the page to the frame after React committed it. */
// In-page code is passed as text: this script is type-checked without the DOM library.
async function timeInPage(page: Page, action: string): Promise<number> {
  return page.evaluate(`(async () => {
    const t0 = performance.now();
    ${action};
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    return performance.now() - t0;
  })()`) as Promise<number>;
}

async function measure(page: Page, url: string, runIds: number[]) {
  await page.goto(url);
  await page.getByTestId('view-tab-compare').click();
  for (const id of runIds) await page.getByTestId(`compare-pick-${id}`).check();
  // First rows: the first page drawn; all rows: the whole set loaded, its counts and filters drawn.
  const { firstRows, allRows } = (await page.evaluate(`(async () => {
    const t0 = performance.now();
    document.querySelector('[data-testid="compare-go"]').click();
    while (!document.querySelector('[data-testid="compare-row"]')) await new Promise((r) => requestAnimationFrame(r));
    const firstRows = performance.now() - t0;
    while (!document.querySelector('[data-testid="compare-shown"]')) await new Promise((r) => requestAnimationFrame(r));
    return { firstRows, allRows: performance.now() - t0 };
  })()`)) as { firstRows: number; allRows: number };
  const filter = await timeInPage(page, `document.querySelector('[data-testid="filter-differ"]').click()`);
  const unfilter = await timeInPage(page, `document.querySelector('[data-testid="filter-any"]').click()`);
  const sort = await timeInPage(
    page,
    `const s = document.querySelector('[data-testid="compare-sort"]');
     const set = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value').set;
     set.call(s, 'delta'); s.dispatchEvent(new Event('change', { bubbles: true }));`,
  );
  // Scrolls 240 frames by 240 px each (down, or back up), returning each frame's time.
  const scroll = async (step: number) =>
    (await page.evaluate(`(async () => {
    const list = document.querySelector('[data-testid="compare-rows"]');
    const deltas = [];
    let last = performance.now();
    for (let f = 0; f < 240; f++) {
      list.scrollTop += ${step};
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      deltas.push(now - last);
      last = now;
    }
    return deltas;
  })()`)) as number[];
  // While the engine computes the statistics (it starts when every row is here): on 2 cores, browser and engine share them.
  const frames = await scroll(240);
  // The statistics header fills in after the rows; wait for it so the engine is idle before the next compare.
  const s0 = Date.now();
  await page.getByTestId('compare-stats-run').first().waitFor({ timeout: 600_000 });
  const statsInPage = Date.now() - s0;
  // And once it is idle: the page's own work per frame.
  const idle = [...(await scroll(-240))].sort((a, b) => a - b);
  const sorted = [...frames].sort((a, b) => a - b);
  return {
    firstRows,
    allRows,
    statsInPage,
    filter,
    unfilter,
    sort,
    maxFrame: sorted.at(-1)!,
    p95Frame: sorted[Math.floor(sorted.length * 0.95)]!,
    medianFrame: sorted[Math.floor(sorted.length / 2)]!,
    idleFrames: { median: idle[Math.floor(idle.length / 2)]!, p95: idle[Math.floor(idle.length * 0.95)]!, max: idle.at(-1)! },
  };
}

async function main() {
  if (!fs.existsSync('out/renderer/index.html') || !fs.existsSync('out/cli/index.js'))
    throw new Error('run `npm run build` first (bench:ui measures the production build)');
  const loadStart = os.loadavg();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'medtask-bench-ui-'));
  const core = new MedtaskCore({ home });
  const list = items(42);
  const t0 = performance.now();
  const runIds = Array.from({ length: 8 }, (_, r) => writeRun(core, list, r));
  const writeS = (performance.now() - t0) / 1000;
  // The engine side of the compare call, cold (per-item scores computed and cached) and warm.
  const engine: Record<string, { cold: number; warm: number; firstPage: number; stats: number }> = {};
  for (const k of [2, 8]) {
    const ids = runIds.slice(0, k);
    const c0 = performance.now();
    core.handlers.compareRuns({ runIds: ids } as never);
    const cold = performance.now() - c0;
    const w0 = performance.now();
    core.handlers.compareRuns({ runIds: ids } as never);
    const warm = performance.now() - w0;
    const p0 = performance.now();
    core.handlers.compareRuns({ runIds: ids, limit: 100 } as never);
    const firstPage = performance.now() - p0;
    const s0 = performance.now();
    core.handlers.compareStats({ runIds: ids, resamples: 1000, seed: 20261207 } as never);
    engine[k] = { cold, warm, firstPage, stats: performance.now() - s0 };
  }
  core.close();
  if (process.argv.includes('--engine-only')) {
    process.stdout.write(`${JSON.stringify({ items: ITEMS, writeS, engine }, null, 1)}\n`);
    fs.rmSync(home, { recursive: true, force: true });
    return;
  }

  const server = await serve(home);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const results: Record<string, Awaited<ReturnType<typeof measure>>> = {};
  try {
    for (const k of [2, 8]) {
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      results[k] = await measure(page, server.url, runIds.slice(0, k));
      await page.close();
    }
  } finally {
    await browser.close();
    server.stop();
    fs.rmSync(home, { recursive: true, force: true });
  }

  const ms = (v: number) => `${Math.round(v)} ms`;
  const rows = [2, 8].map((k) => {
    const e = engine[k]!;
    const r = results[k]!;
    return `| ${k} × ${ITEMS.toLocaleString('en-US')} | ${ms(e.cold)} / ${ms(e.warm)} / ${ms(e.firstPage)} | ${ms(e.stats)} | ${ms(r.firstRows)} (all: ${ms(r.allRows)}) | ${ms(r.filter)} (back: ${ms(r.unfilter)}) | ${ms(r.sort)} | ${r.medianFrame.toFixed(1)} / ${r.p95Frame.toFixed(1)} / ${r.maxFrame.toFixed(1)} ms | ${r.idleFrames.median.toFixed(1)} / ${r.idleFrames.p95.toFixed(1)} / ${r.idleFrames.max.toFixed(1)} ms |`;
  });
  const verdict = [2, 8]
    .map((k) => {
      const r = results[k]!;
      const miss = [
        r.firstRows >= 1000 ? `first rows ${ms(r.firstRows)}` : '',
        Math.max(r.filter, r.sort) >= 200 ? 'filter/sort' : '',
        r.maxFrame > 50 ? `a ${r.maxFrame.toFixed(0)} ms frame while scrolling${r.idleFrames.max > 50 ? '' : ' (none once the engine was idle)'}` : '',
      ].filter(Boolean);
      return `${k} runs: ${miss.length ? `missed — ${miss.join(', ')}` : 'all targets met'}`;
    })
    .join('; ');
  const load = (l: number[]) => l.map((v) => v.toFixed(1)).join(' / ');
  const body = `
\`npm run bench:ui\` on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC;
load average (1/5/15 min) ${load(loadStart)} at the start, ${load(os.loadavg())} at the end.
Chromium (${CHROMIUM}, headless, 1600×1000) against the production build and \`medtask serve\`. ${ITEMS.toLocaleString('en-US')} synthetic PubMedQA-shaped items (MedINST32 cls: label macro-F1, ROUGE-L, word F1), 8 runs written through the real run store (${writeS.toFixed(1)} s) with seeded outputs (accuracy 50–85%).

| Runs × items | compareRuns in the engine: cold / warm / first 100 rows (warm) | compareStats (CIs, paired tests) | First rows (click → rows drawn; all: every row loaded, counts drawn) | Filter "outputs differ" | Sort by delta | Scroll frames while the engine computes the statistics: median / p95 / max | Scroll frames once it is idle |
|---|---|---|---|---|---|---|---|
${rows.join('\n')}

Targets (issue 14): first rows < 1 s, filter and sort < 200 ms, no frame over 50 ms while scrolling. This run: ${verdict}.
Before the first-page load and memoised rows (2026-12-07, quiet machine, load 1.6): 2 × 10,000 first rows 605 ms, filter 80 ms,
sort 34 ms, frames 16.7 / 21.0 / 33.3 ms; 8 × 10,000 first rows 1,065 ms, filter 97 ms, sort 65 ms, frames 19.4 / 33.9 / 62.2 ms.

How the view loads: the page first asks \`compareRuns\` for the first 100 rows (\`limit\`) and draws them, then asks for the
whole set (one JSON payload, ~6 MB for 8 × 10,000) and draws the filters and their counts when it lands; filter and sort
run in the page on the loaded rows (the shared functions the CLI uses); the statistics header fills in after that, from
\`compareStats\`. "Cold" is the first compare of a run: its per-item metric values are computed once and cached in
\`run_item_scores\`; every later compare (and the app after a restart) reads them, and the engine keeps the parsed facts of
recently compared runs in memory (an LRU bounded at 200,000 items, src/core/compare/runCache.ts). A run's finished items
are counted from the \`run_items_status\` index. Rows are memoised, so a scroll frame builds only the rows entering the window.
On this 2-core machine the browser, the server (the whole-set compare, then \`compareStats\`) and other engineers' work share
the CPU, so frame times and first rows move with the load average above.
`;
  writePerfSection('Compare view (bench:ui)', body);
  process.stdout.write(body);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
