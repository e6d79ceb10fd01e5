import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SHARED_DATA = path.resolve(REPO, '../shared/data');
export const data = (...parts: string[]) => path.join(SHARED_DATA, ...parts);

export function tempDir(prefix = 'medtask-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Reads a MedINST32 file that may be a JSON array or JSON Lines, independently of the importer. */
export function readRecords<T = Record<string, unknown>>(file: string): T[] {
  const text = fs.readFileSync(file, 'utf8').trim();
  if (text.startsWith('[')) return JSON.parse(text) as T[];
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}
