/**
 * MedINST32 results JSON, as evaluation.py's `main()` writes it
 * (`json.dump(results, out, ensure_ascii=False, indent=4)`):
 *
 *   { "<category>": { "<task>": { "generated": [{ "prediction": …, "target": … }], "metrics": { "rouge": …, … } } } }
 */
import { parseJsonWithLines, type JsonPath } from './json';
import { PredictionsError } from './errors';
import type { PredictionSet, TaskPredictions } from './types';

export interface Medinst32TaskResult {
  category: string;
  task: string;
  generated: { prediction: string; target: string }[];
  metrics?: Record<string, number>;
}

const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : `a ${typeof v}`);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const fieldName = (path: JsonPath): string => path.map((p, k) => (typeof p === 'number' ? `[${p}]` : k === 0 ? p : `.${p}`)).join('');

/** Parses and validates; errors name the file, the line and the field path (`QA.MedQA.generated[3].prediction`). */
export function parseMedinst32Results(text: string, file = '<json>'): Medinst32TaskResult[] {
  return parseLocated(text, file).results;
}

/** Parses a results file into a prediction set whose pairs carry their line numbers. */
export function parseMedinst32PredictionSet(text: string, file = '<json>'): PredictionSet {
  const { results, lineOf } = parseLocated(text, file);
  return medinst32ResultsToPredictionSet(results, lineOf);
}

function parseLocated(text: string, file: string): { results: Medinst32TaskResult[]; lineOf: (path: JsonPath) => number } {
  const doc = parseJsonWithLines(text, file);
  const fail = (path: JsonPath, problem: string): never => {
    throw new PredictionsError(file, problem, { line: doc.lineOf(path), field: path.length ? fieldName(path) : undefined });
  };
  const root = doc.value;
  if (!isObject(root)) return fail([], `must be an object of categories ({"QA": {"MedQA": {"generated": [...]}}}), got ${typeName(root)}`);
  const out: Medinst32TaskResult[] = [];
  for (const [category, tasks] of Object.entries(root)) {
    if (!isObject(tasks)) fail([category], `must be an object of tasks, got ${typeName(tasks)}`);
    for (const [task, result] of Object.entries(tasks as Record<string, unknown>)) {
      const base = [category, task];
      if (!isObject(result)) fail(base, `must be an object with "generated", got ${typeName(result)}`);
      const r = result as Record<string, unknown>;
      if (r.generated === undefined) fail(base, 'has no "generated" list');
      if (!Array.isArray(r.generated)) fail([...base, 'generated'], `must be a list, got ${typeName(r.generated)}`);
      const generated = (r.generated as unknown[]).map((g, k) => {
        const p = [...base, 'generated', k];
        if (!isObject(g)) return fail(p, `must be an object {"prediction", "target"}, got ${typeName(g)}`);
        for (const f of ['prediction', 'target'] as const) {
          if (typeof g[f] !== 'string')
            fail(g[f] === undefined ? p : [...p, f], g[f] === undefined ? `has no "${f}"` : `"${f}" must be a string, got ${typeName(g[f])}`);
        }
        return { prediction: g.prediction as string, target: g.target as string };
      });
      const entry: Medinst32TaskResult = { category, task, generated };
      if (r.metrics !== undefined) {
        if (!isObject(r.metrics)) fail([...base, 'metrics'], `must be an object of numbers, got ${typeName(r.metrics)}`);
        const metrics: Record<string, number> = {};
        for (const [k, v] of Object.entries(r.metrics as Record<string, unknown>)) {
          if (typeof v === 'boolean') metrics[k] = Number(v);
          else if (typeof v === 'number') metrics[k] = v;
          else fail([...base, 'metrics', k], `must be a number, got ${typeName(v)}`);
        }
        entry.metrics = metrics;
      }
      out.push(entry);
    }
  }
  return { results: out, lineOf: (path) => doc.lineOf(path) };
}

/** The JSON evaluation.py would write (indent 4, non-ASCII kept). */
export function serialiseMedinst32Results(results: readonly Medinst32TaskResult[]): string {
  const doc: Record<string, Record<string, { generated: { prediction: string; target: string }[]; metrics?: Record<string, number> }>> = {};
  for (const r of results) {
    const cat = (doc[r.category] ??= {});
    cat[r.task] = r.metrics === undefined ? { generated: r.generated } : { generated: r.generated, metrics: r.metrics };
  }
  return JSON.stringify(doc, null, 4);
}

export function medinst32ResultsToPredictionSet(results: readonly Medinst32TaskResult[], lines?: (path: JsonPath) => number): PredictionSet {
  const tasks: TaskPredictions[] = results.map((r) => {
    const t: TaskPredictions = {
      task: r.task,
      category: r.category,
      pairs: r.generated.map((g, k) => {
        const pair: TaskPredictions['pairs'][number] = { prediction: g.prediction, target: g.target };
        if (lines) pair.line = lines([r.category, r.task, 'generated', k]);
        return pair;
      }),
    };
    if (r.metrics) t.reportedMetrics = r.metrics;
    return t;
  });
  return { format: 'medinst32-json', benchmark: 'medinst32', tasks };
}
