/**
 * Field validation and normalisation: raw parsed values -> NormalisedRecord.
 * Every fault names file, position and field.
 */
import type { HistoryTurn } from '../../shared/domain';
import { importError, typeName, type Where } from './bytes';
import type { ColumnMapping, NormalisedRecord } from './types';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function requireObject(value: unknown, where: Where, what = 'record'): Record<string, unknown> {
  if (!isPlainObject(value)) throw importError(where, `expected a JSON object for the ${what}, got ${typeName(value)}`);
  return value;
}

export function requireString(obj: Record<string, unknown>, field: string, where: Where): string {
  if (!(field in obj) || obj[field] === undefined) throw importError(where, 'is missing', field);
  const v = obj[field];
  if (typeof v !== 'string') throw importError(where, `must be a string, got ${typeName(v)}`, field);
  return v;
}

/** `history`: absent/null -> []; otherwise an array of [user, assistant] string pairs. */
export function parseHistory(v: unknown, where: Where, field = 'history'): HistoryTurn[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw importError(where, `must be a list of [user, assistant] pairs, got ${typeName(v)}`, field);
  const out: HistoryTurn[] = [];
  v.forEach((pair: unknown, k: number) => {
    const f = `${field}[${k}]`;
    if (!Array.isArray(pair) || pair.length !== 2) {
      const got = Array.isArray(pair) ? `a list of ${pair.length}` : typeName(pair);
      throw importError(where, `must be a [user, assistant] pair of 2 strings, got ${got}`, f);
    }
    const [u, a] = pair as unknown[];
    if (typeof u !== 'string') throw importError(where, `must be a string (the user turn), got ${typeName(u)}`, `${f}[0]`);
    if (typeof a !== 'string') throw importError(where, `must be a string (the assistant turn), got ${typeName(a)}`, `${f}[1]`);
    out.push([u, a]);
  });
  return out;
}

/** `output`: a string or a non-empty list of strings. */
export function parseOutputs(v: unknown, where: Where, field = 'output', opts: { allowList?: boolean; coerce?: boolean } = {}): string[] {
  if (v === undefined) throw importError(where, 'is missing', field);
  if (typeof v === 'string') return [v];
  if (opts.coerce && (typeof v === 'number' || typeof v === 'boolean') && (typeof v !== 'number' || Number.isFinite(v))) return [String(v)];
  if (opts.allowList && Array.isArray(v)) {
    if (v.length === 0) throw importError(where, 'is an empty list; at least one gold output is needed', field);
    return v.map((x: unknown, k: number) => {
      if (typeof x === 'string') return x;
      if (opts.coerce && (typeof x === 'number' || typeof x === 'boolean')) return String(x);
      throw importError(where, `must be a string, got ${typeName(x)}`, `${field}[${k}]`);
    });
  }
  const want = opts.allowList ? 'a string or a list of strings' : 'a string';
  throw importError(where, `must be ${want}, got ${typeName(v)}`, field);
}

/** MedINST / MedINST32 record: instruction, input, output (strings), optional history. */
export function normaliseMedinst(value: unknown, where: Where & { record: number }): NormalisedRecord {
  const obj = requireObject(value, where);
  const instruction = requireString(obj, 'instruction', where);
  const input = requireString(obj, 'input', where);
  const outputs = parseOutputs(obj.output, where, 'output');
  const history = parseHistory(obj.history, where);
  const rec: NormalisedRecord = { index: where.record, instruction, input, outputs, history };
  if (where.line !== undefined) rec.line = where.line;
  const id = obj.id;
  if (typeof id === 'string' || typeof id === 'number') rec.sourceId = String(id);
  return rec;
}

/** A `Instances[]` entry of a natural-instructions file. */
export function normaliseInstance(value: unknown, where: Where & { record: number }, instruction: string): NormalisedRecord {
  const obj = requireObject(value, where, 'instance');
  const input = requireString(obj, 'input', where);
  const outputs = parseOutputs(obj.output, where, 'output', { allowList: true });
  const id = obj.id;
  let sourceId: string | null = null;
  if (id !== undefined && id !== null) {
    if (typeof id !== 'string' && typeof id !== 'number') throw importError(where, `must be a string or number, got ${typeName(id)}`, 'id');
    sourceId = String(id);
  }
  const rec: NormalisedRecord = { index: where.record, sourceId, instruction, input, outputs, history: [] };
  if (where.line !== undefined) rec.line = where.line;
  return rec;
}

/** User-mapped record (generic reader). `history` may be a JSON string (CSV). */
export function normaliseMapped(value: unknown, where: Where & { record: number }, mapping: ColumnMapping, defaultInstruction = ''): NormalisedRecord {
  const obj = requireObject(value, where);
  const get = (col: string) => obj[col];
  const str = (col: string, required: boolean): string => {
    const v = get(col);
    if (v === undefined || (v === null && !required)) {
      if (required) throw importError(where, `is missing (mapped column "${col}")`, col);
      return '';
    }
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw importError(where, `must be a string, got ${typeName(v)}`, col);
  };
  const instruction = mapping.instruction ? str(mapping.instruction, true) : defaultInstruction;
  const input = str(mapping.input, true);
  let outRaw = get(mapping.output);
  if (typeof outRaw === 'string' && /^\s*\[/.test(outRaw) && where.line !== undefined && (value as { __csv?: boolean }).__csv) {
    // CSV cannot hold lists; a JSON list in a cell is accepted
    try {
      const parsed: unknown = JSON.parse(outRaw);
      if (Array.isArray(parsed)) outRaw = parsed;
    } catch {
      /* keep the string */
    }
  }
  const outputs = parseOutputs(outRaw, where, mapping.output, { allowList: true, coerce: true });
  let history: HistoryTurn[] = [];
  if (mapping.history) {
    let h = get(mapping.history);
    if (typeof h === 'string') {
      if (h.trim() === '') h = null;
      else {
        try {
          h = JSON.parse(h);
        } catch {
          throw importError(where, 'must be a JSON list of [user, assistant] pairs', mapping.history);
        }
      }
    }
    history = parseHistory(h, where, mapping.history);
  }
  const rec: NormalisedRecord = { index: where.record, instruction, input, outputs, history };
  if (where.line !== undefined) rec.line = where.line;
  if (mapping.id) {
    const id = get(mapping.id);
    rec.sourceId = id === undefined || id === null ? null : String(id);
  }
  return rec;
}
