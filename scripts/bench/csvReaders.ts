/**
 * Why the app keeps its own CSV reader (core/csv/reader.ts, shared by the import and the
 * predictions): the same 150,000-row CSV (quoted fields with doubled quotes and newlines, ~159 MB)
 * read on the import path (readCsvRecords: decode, cut rows, make records) and by `csv-parse` fed
 * the same strictly decoded chunks, interleaved, medians of N rounds. Issue #13's rule: use
 * csv-parse unless it is more than 10% slower on the import path.
 * Usage: node scripts/run-ts.cjs scripts/bench/csvReaders.ts [--rounds N]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Parser } from 'csv-parse';
import { readCsvRecords } from '../../src/core/import/csv';
import { decodeUtf8, readChunks } from '../../src/core/import/bytes';

async function* viaCsvParse(file: string): AsyncGenerator<Record<string, string>> {
  const parser = new Parser({ relax_column_count: true, skip_empty_lines: true });
  const out: string[][] = [];
  parser.on('readable', () => {
    let r: string[] | null;
    while ((r = parser.read() as string[] | null) !== null) out.push(r);
  });
  let header: string[] | null = null;
  const toObject = (r: string[]) => Object.fromEntries(header!.map((h, k) => [h, r[k] ?? '']));
  for await (const chunk of readChunks(file)) {
    parser.write(decodeUtf8(chunk, { file, line: 0 }));
    for (const r of out.splice(0)) {
      if (!header) header = r.map((h) => h.trim());
      else yield toObject(r);
    }
  }
  parser.end();
  for (const r of out.splice(0)) yield toObject(r);
}

function writeCorpus(file: string): void {
  const words = 'the patient presented with acute chest pain and shortness of breath, "troponin" was elevated'.split(' ');
  const rows = ['instruction,input,output'];
  for (let i = 0; i < 150_000; i++) {
    const text = Array.from({ length: 150 }, (_, k) => words[(i + k) % words.length]).join(' ');
    rows.push(`"Answer the question.","${text.replace(/"/g, '""')}\nsecond line","yes"`);
  }
  fs.writeFileSync(file, `${rows.join('\n')}\n`);
}

async function time(read: () => AsyncGenerator<unknown>): Promise<number> {
  const started = performance.now();
  let n = 0;
  for await (const _ of read()) n++;
  if (n !== 150_000) throw new Error(`read ${n} records, expected 150000`);
  return (performance.now() - started) / 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const roundsArg = process.argv.indexOf('--rounds');
const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 3;
const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'medtask-csv-bench-')), 'rows.csv');
writeCorpus(file);
const ours: number[] = [];
const lib: number[] = [];
for (let r = 0; r < rounds; r++) {
  ours.push(await time(() => readCsvRecords(file)));
  lib.push(await time(() => viaCsvParse(file)));
}
fs.rmSync(path.dirname(file), { recursive: true, force: true });
console.log(`load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores, ${rounds} interleaved rounds`);
console.log(`our reader: median ${median(ours).toFixed(2)} s (${ours.map((x) => x.toFixed(2)).join(', ')})`);
console.log(`csv-parse:  median ${median(lib).toFixed(2)} s (${lib.map((x) => x.toFixed(2)).join(', ')})`);
console.log(`csv-parse / ours: ${(median(lib) / median(ours)).toFixed(2)}x`);
