/**
 * Natural-instructions task files (MedS-Bench, MedS-Ins): one JSON object whose `Instances`
 * array is streamed; and MedS-Ins' RewriteDefinitions.json.
 */
import { decodeUtf8, importError, parseJson, readChunks, typeName, type ReadOptions, type Where } from './bytes';
import { JsonScanner, type ScanEvent } from './jsonscan';
import { normaliseInstance, parseOutputs } from './records';
import type { NatInstExample, NormalisedRecord } from './types';

export interface NatInstMeta {
  /** Never empty: the first is the instruction of every instance. */
  definitions: string[];
  positiveExamples: NatInstExample[];
  negativeExamples: NatInstExample[];
  categories: string[];
  domains: string[];
  inputLanguages: string[];
  outputLanguages: string[];
  instructionLanguages: string[];
  contributors: string[];
  sources: string[];
  urls: string[];
  reasoning: string[];
  instanceCount: number;
}

/** A natural-instructions metadata value: a string or a list of strings (null/absent -> []). */
function strList(v: unknown, where: Where, field: string): string[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) {
    return v.map((x: unknown, k: number) => {
      if (typeof x !== 'string') throw importError(where, `must be a string, got ${typeName(x)}`, `${field}[${k}]`);
      return x;
    });
  }
  throw importError(where, `must be a string or a list of strings, got ${typeName(v)}`, field);
}

/**
 * `Definition`: every instance's instruction is its first string, so a file without one (or with
 * an empty one) would import items that say nothing about the task; reject it instead.
 */
function definitionList(v: unknown, where: Where, field: string): string[] {
  if (v === undefined) throw importError(where, 'is missing: a task file needs its task definition (the instruction of every instance)', field);
  if (v === null) throw importError(where, 'must be a string or a list of strings, got null', field);
  const defs = strList(v, where, field);
  if (!defs[0]?.trim()) throw importError(where, 'is empty: a task file needs its task definition (the instruction of every instance)', field);
  return defs;
}

function examples(v: unknown, where: Where, field: string): NatInstExample[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw importError(where, `must be a list, got ${typeName(v)}`, field);
  return v.map((ex: unknown, k: number) => {
    const f = `${field}[${k}]`;
    if (typeof ex !== 'object' || ex === null || Array.isArray(ex)) throw importError(where, `must be an object, got ${typeName(ex)}`, f);
    const o = ex as Record<string, unknown>;
    if (typeof o.input !== 'string') throw importError(where, `must be a string, got ${typeName(o.input)}`, `${f}.input`);
    const outputs = parseOutputs(o.output, where, `${f}.output`, { allowList: true });
    const explanation = typeof o.explanation === 'string' ? o.explanation : null;
    return { input: o.input, outputs, explanation };
  });
}

async function scan(file: string, opts: ReadOptions, skipElements: boolean, onEvent: (ev: ScanEvent) => void | Promise<void>): Promise<JsonScanner> {
  const scanner = new JsonScanner(file, { mode: 'object', streamKey: 'Instances', skipElements, noun: 'instance' });
  const events: ScanEvent[] = [];
  for await (const chunk of readChunks(file, opts)) {
    scanner.push(chunk, events);
    for (const ev of events) await onEvent(ev);
    events.length = 0;
  }
  scanner.end(events);
  for (const ev of events) await onEvent(ev);
  return scanner;
}

/** One pass over the file collecting metadata and counting instances (instance bytes are not kept). */
export async function readNatInstMeta(file: string, opts: ReadOptions = {}): Promise<NatInstMeta> {
  const fields = new Map<string, { value: unknown; line: number }>();
  let count = 0;
  const scanner = await scan(file, opts, true, (ev) => {
    if (ev.kind === 'element') count++;
    else {
      const where = { file, line: ev.line };
      fields.set(ev.key, { value: parseJson(decodeUtf8(ev.bytes, where), where), line: ev.line });
    }
  });
  if (!scanner.streamed) {
    const inst = fields.get('Instances');
    if (inst) throw importError({ file, line: inst.line }, `must be a list of instances, got ${typeName(inst.value)}`, 'Instances');
    throw importError({ file }, 'is missing: not a natural-instructions task file (no "Instances" list)', 'Instances');
  }
  const get = <T>(key: string, fn: (v: unknown, w: Where, f: string) => T): T => {
    const f = fields.get(key);
    return fn(f?.value, { file, line: f?.line }, key);
  };
  return {
    definitions: get('Definition', definitionList),
    positiveExamples: get('Positive Examples', examples),
    negativeExamples: get('Negative Examples', examples),
    categories: get('Categories', strList),
    domains: get('Domains', strList),
    inputLanguages: get('Input_language', strList),
    outputLanguages: get('Output_language', strList),
    instructionLanguages: get('Instruction_language', strList),
    contributors: get('Contributors', strList),
    sources: get('Source', strList),
    urls: get('URL', strList),
    reasoning: get('Reasoning', strList),
    instanceCount: count,
  };
}

/** Streams `Instances[]` as records; `instruction` is the task definition. */
export async function* readNatInstInstances(file: string, instruction: string, opts: ReadOptions = {}): AsyncGenerator<NormalisedRecord> {
  const scanner = new JsonScanner(file, { mode: 'object', streamKey: 'Instances', noun: 'instance' });
  const events: ScanEvent[] = [];
  const emit = function* (evs: ScanEvent[]): Generator<NormalisedRecord> {
    for (const ev of evs) {
      if (ev.kind !== 'element' || !ev.bytes) continue;
      const where = { file, line: ev.line, record: ev.index };
      yield normaliseInstance(parseJson(decodeUtf8(ev.bytes, where), where), where, instruction);
    }
  };
  for await (const chunk of readChunks(file, opts)) {
    scanner.push(chunk, events);
    yield* emit(events);
    events.length = 0;
  }
  scanner.end(events);
  yield* emit(events);
}

export interface DefinitionVariants {
  original: string;
  rewrites: string[];
}

/** RewriteDefinitions.json: `{ taskN: { original_def, auto_rewrite_def: [...] } }`, streamed member by member. */
export async function readDefinitions(file: string, opts: ReadOptions = {}): Promise<Map<string, DefinitionVariants>> {
  const out = new Map<string, DefinitionVariants>();
  const scanner = new JsonScanner(file, { mode: 'object', noun: 'task' });
  const events: ScanEvent[] = [];
  const take = (ev: ScanEvent): void => {
    if (ev.kind !== 'field') return;
    const where = { file, line: ev.line };
    const v = parseJson(decodeUtf8(ev.bytes, where), where);
    const f = ev.key;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw importError(where, `must be an object, got ${typeName(v)}`, f);
    const o = v as Record<string, unknown>;
    if (typeof o.original_def !== 'string') throw importError(where, `must be a string, got ${typeName(o.original_def)}`, `${f}.original_def`);
    const rewrites = strList(o.auto_rewrite_def, where, `${f}.auto_rewrite_def`);
    out.set(f, { original: o.original_def, rewrites });
  };
  for await (const chunk of readChunks(file, opts)) {
    scanner.push(chunk, events);
    events.forEach(take);
    events.length = 0;
  }
  scanner.end(events);
  events.forEach(take);
  return out;
}
