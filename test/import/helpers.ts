import { mkdtemp, mkdir, writeFile, copyFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ImportPlan, SourcePlan } from '../../src/core/import/plan';
import type { NormalisedRecord } from '../../src/core/import/types';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const dataDir = path.resolve(repoRoot, '../shared/data');
export const data = (...p: string[]): string => path.join(dataDir, ...p);

export async function tempDir(prefix = 'medtask-import-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

export async function put(dir: string, rel: string, content: string | Uint8Array): Promise<string> {
  const p = path.join(dir, rel);
  await mkdir(path.dirname(p), { recursive: true });
  await writeFile(p, content);
  return p;
}

export async function copyTo(dir: string, rel: string, from: string): Promise<string> {
  const p = path.join(dir, rel);
  await mkdir(path.dirname(p), { recursive: true });
  await copyFile(from, p);
  return p;
}

export function records(p: ImportPlan): SourcePlan {
  if (p.kind !== 'records') throw new Error(`expected a records plan, got ${p.kind}`);
  return p;
}

export async function readAll(p: ImportPlan): Promise<NormalisedRecord[]> {
  const out: NormalisedRecord[] = [];
  for await (const r of records(p).read()) out.push(r);
  return out;
}

/** Reads everything and returns the error it throws (fails when nothing is thrown). */
export async function readError(p: ImportPlan): Promise<Error> {
  try {
    for await (const _ of records(p).read()) void _;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the read to fail');
}
