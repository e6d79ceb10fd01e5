/** Reading and writing prediction files (the only I/O of this module). */
import { readFile, writeFile } from 'node:fs/promises';
import { NotFoundError } from '../errors';
import path from 'node:path';
import { PredictionsError } from './errors';
import { medsRowsToPredictionSet, parseMedsBenchCsv, serialiseMedsBenchCsv, type MedsBenchRow } from './medsBenchCsv';
import { parseMedinst32PredictionSet, serialiseMedinst32Results, type Medinst32TaskResult } from './medinst32Json';
import { serialiseItemReportCsv, serialiseItemReportJson, type ItemReportRow } from './report';
import type { PredictionSet, PredictionsFormat } from './types';

/** By extension (`.csv`, `.json`), else by content (`{` → MedINST32 JSON, a `task_id` header → CSV). */
export function detectFormat(file: string, text: string): PredictionsFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return 'meds-bench-csv';
  if (ext === '.json') return 'medinst32-json';
  const head = text.replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('{')) return 'medinst32-json';
  const firstLine = head.split(/\r?\n/, 1)[0] ?? '';
  if (/(^|,)\s*"?task_id"?\s*(,|$)/.test(firstLine)) return 'meds-bench-csv';
  throw new PredictionsError(
    file,
    'cannot tell the format: not .csv or .json, and the content is neither a JSON object nor a CSV with a task_id column (pass --format)',
  );
}

/** Parses text of a known or detected format. */
export function parsePredictions(text: string, file: string, format?: PredictionsFormat): PredictionSet {
  const f = format ?? detectFormat(file, text);
  return f === 'meds-bench-csv' ? medsRowsToPredictionSet(parseMedsBenchCsv(text, file)) : parseMedinst32PredictionSet(text, file);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

async function readText(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // A missing file is "not found" in the error model, not a fault inside a file.
    if (code === 'ENOENT') throw new NotFoundError(`${file}: no such file`, { file });
    throw new PredictionsError(file, code === 'EISDIR' ? 'is a folder, not a file' : `cannot read: ${(e as Error).message}`);
  }
  try {
    return utf8.decode(bytes);
  } catch {
    throw new PredictionsError(file, 'invalid UTF-8; the file must be UTF-8 encoded');
  }
}

export async function readPredictionsFile(file: string, format?: PredictionsFormat): Promise<PredictionSet> {
  return parsePredictions(await readText(file), file, format);
}

export async function writeMedsBenchCsv(file: string, rows: readonly MedsBenchRow[]): Promise<void> {
  await writeFile(file, serialiseMedsBenchCsv(rows), 'utf8');
}

export async function writeMedinst32Results(file: string, results: readonly Medinst32TaskResult[]): Promise<void> {
  await writeFile(file, serialiseMedinst32Results(results), 'utf8');
}

/** `.csv` → CSV, anything else → JSON. */
export async function writeItemReport(file: string, rows: readonly ItemReportRow[]): Promise<void> {
  const csv = path.extname(file).toLowerCase() === '.csv';
  await writeFile(file, csv ? serialiseItemReportCsv(rows) : serialiseItemReportJson(rows), 'utf8');
}
