/**
 * Executes a run's pending items: renders each prompt from the stored template, generates
 * in parallel chunks (two in flight, so the sequences never wait for a chunk to drain), and
 * records every item as soon as it finishes. Pausing or cancelling aborts the chunks in flight;
 * aborted items stay pending for the resume.
 */
import type { RunProgress, RunSpec } from '../../shared/runs';
import type { Db } from '../db/open';
import type { ChatMessage, GenerateResult } from '../inference/types';
import { promptRecordFromItem } from '../prompts/records';
import { renderPrompt } from '../prompts/render';
import type { PromptContext, PromptRecord, PromptTemplate, RenderedPrompt } from '../prompts/types';
import { extractAnswer } from './scoring';
import { loadItemRecords, pendingItems, recordItem, type ItemRecord, type PendingItem } from './store';

export interface GenRequest {
  messages?: ChatMessage[];
  prompt?: string;
  maxTokens: number;
  temperature: number;
  topP?: number;
  topK?: number;
  seed?: number;
  stop?: string[];
}

export type GenOutcome = { ok: true; value: GenerateResult } | { ok: false; error: Error };

/** What a run needs from a backend (local engine or remote server). */
export interface Generator {
  label: string;
  describe(): Promise<Record<string, unknown>>;
  generateMany(requests: GenRequest[], opts: { parallel: number; signal: AbortSignal; onResult(index: number, outcome: GenOutcome): void }): Promise<void>;
}

export function toTemplate(spec: RunSpec['template']): PromptTemplate {
  return {
    strategy: spec.strategy,
    k: spec.k === undefined ? null : spec.k,
    seed: spec.seed ?? 0,
    variant: spec.variant ?? 0,
    ...(spec.mode ? { mode: spec.mode } : {}),
    ...(spec.pool ? { pool: spec.pool } : {}),
    ...(spec.system !== undefined ? { system: spec.system } : {}),
    ...(spec.user !== undefined ? { user: spec.user } : {}),
    ...(spec.example !== undefined ? { example: spec.example } : {}),
    ...(spec.exampleSeparator !== undefined ? { exampleSeparator: spec.exampleSeparator } : {}),
    ...(spec.text !== undefined ? { text: spec.text } : {}),
  };
}

function toPromptRecord(r: ItemRecord): PromptRecord {
  return promptRecordFromItem({
    id: r.id,
    index: r.idx,
    taskId: 0,
    task: '',
    benchmark: '',
    config: 'default',
    split: 'test',
    instruction: r.instruction,
    input: r.input,
    output: r.output,
    outputs: r.outputs,
    history: r.history,
  });
}

function needsPool(t: PromptTemplate): boolean {
  if (t.strategy === 'meds-bench') return t.k !== 0;
  if (t.strategy === 'medinst32') return t.k !== null && t.k > 0;
  return (t.k ?? 0) > 0;
}

/** Per-task prompt context: the split's records as the example pool, and instruction paraphrases. */
export class ContextCache {
  private pools = new Map<number, PromptRecord[]>();
  private variants = new Map<number, string[] | null>();

  constructor(
    private readonly db: Db,
    private readonly template: PromptTemplate,
  ) {}

  private splitOf(itemId: number): { splitId: number; taskId: number } {
    return this.db.prepare('SELECT i.split_id AS splitId, s.task_id AS taskId FROM items i JOIN splits s ON s.id = i.split_id WHERE i.id = ?').get(itemId) as {
      splitId: number;
      taskId: number;
    };
  }

  private positiveExamples(taskId: number): PromptRecord[] {
    const rows = this.db.prepare("SELECT ord, input, outputs_json FROM task_examples WHERE task_id = ? AND polarity = 'positive' ORDER BY ord").all(taskId) as {
      ord: number;
      input: string;
      outputs_json: string;
    }[];
    return rows.map((r) => {
      const outputs = JSON.parse(r.outputs_json) as string[];
      return { key: `positive-${r.ord}`, input: r.input, output: outputs.length > 1 ? outputs : (outputs[0] ?? '') };
    });
  }

  context(query: ItemRecord): PromptContext {
    const { splitId, taskId } = this.splitOf(query.id);
    let pool: PromptRecord[] | undefined;
    if (needsPool(this.template)) {
      // Demonstrations come from the split's other items, or from the task's positive examples.
      const positive = this.template.pool === 'positive';
      const key = positive ? -taskId : splitId;
      pool = this.pools.get(key);
      if (!pool) {
        pool = positive ? this.positiveExamples(taskId) : loadItemRecords(this.db, { splitId }).map(toPromptRecord);
        this.pools.set(key, pool);
      }
      if (positive && pool.length === 0)
        throw new Error('the task has no positive examples (natural-instructions "Positive Examples"); use the split as the pool');
    }
    let instructions = this.variants.get(taskId);
    if (instructions === undefined) {
      const rows = this.db
        .prepare('SELECT v.text FROM instruction_variants v JOIN tasks t ON t.external_id = v.external_id WHERE t.id = ? ORDER BY v.ord')
        .pluck()
        .all(taskId) as string[];
      instructions = rows.length ? [query.instruction, ...rows.slice(1)] : null;
      this.variants.set(taskId, instructions);
    }
    if (this.template.variant > 0 && (!instructions || instructions.length <= this.template.variant)) {
      throw new Error(
        `the task has ${instructions ? instructions.length - 1 : 0} instruction paraphrases; variant ${this.template.variant} does not exist (import RewriteDefinitions.json)`,
      );
    }
    const query_ = pool?.find((p) => p.key === query.idx) ?? toPromptRecord(query);
    return { query: query_, ...(pool ? { pool } : {}), ...(instructions ? { instructions } : {}) };
  }
}

export interface RunnerOptions {
  db: Db;
  runId: number;
  spec: RunSpec;
  generator: Generator;
  signal: AbortSignal;
  onProgress(p: Omit<RunProgress, 'status'>): void;
  onItemTime(wallMs: number, generateMs: number): void;
}

/** Returns true when no pending item is left. */
export async function executePending(opts: RunnerOptions): Promise<boolean> {
  const { db, runId, spec, generator, signal } = opts;
  const template = toTemplate(spec.template);
  const cache = new ContextCache(db, template);
  const parallel = Math.max(1, spec.parallel ?? 1);
  const pending = pendingItems(db, runId);
  const total = db.prepare('SELECT COUNT(*) FROM run_items WHERE run_id = ?').pluck().get(runId) as number;
  let done = total - pending.length;
  let errors = db.prepare("SELECT COUNT(*) FROM run_items WHERE run_id = ? AND status = 'error'").pluck().get(runId) as number;
  let tokens = 0;
  let generateMs = 0;
  const started = performance.now();
  let processedHere = 0;

  // Two chunks are kept in flight: the next chunk's items wait on the context's free sequences
  // while the current chunk drains, so a sequence that finishes a short answer takes the next
  // item at once instead of idling until the chunk's longest answer is done. Chunks stay small
  // so that prompts are rendered and records loaded only a little ahead of generation.
  const chunkSize = parallel * 2;
  const inFlight: Promise<void>[] = [];
  let failure: unknown = null;
  // Start of generation time not yet added to the run (null while nothing is in flight): chunks
  // overlap, so their own durations would count the same time twice.
  let mark: number | null = null;
  const account = (): void => {
    if (mark === null) return;
    const now = performance.now();
    generateMs += now - mark;
    opts.onItemTime(now - mark, now - mark);
    mark = now;
  };
  const report = (): void => {
    const elapsed = performance.now() - started;
    const perItem = processedHere ? elapsed / processedHere : null;
    opts.onProgress({
      runId,
      done,
      errors,
      total,
      tokensPerSecond: generateMs > 0 ? Math.round((tokens * 1000 * 100) / generateMs) / 100 : null,
      etaMs: perItem !== null ? Math.round(perItem * (total - done)) : null,
    });
  };
  /** An item that failed (no library record, a prompt that would not render, a failed generation). */
  const recordFailure = (ord: number, error: string, promptJson = 'null'): void => {
    const fields = {
      promptJson,
      renderedPrompt: null,
      rawOutput: null,
      extracted: null,
      promptTokens: null,
      outputTokens: null,
      latencyMs: null,
      ttftMs: null,
      error,
    };
    if (recordItem(db, runId, ord, fields)) {
      done++;
      errors++;
    }
  };
  for (let at = 0; at < pending.length && !signal.aborted && failure === null; at += chunkSize) {
    const chunk = pending.slice(at, at + chunkSize);
    const records = new Map(loadItemRecords(db, { ids: chunk.map((c) => c.itemId).filter((x): x is number => x !== null) }).map((r) => [r.id, r]));
    const requests: GenRequest[] = [];
    const owners: { item: PendingItem; prompt: RenderedPrompt }[] = [];
    for (const item of chunk) {
      const record = item.itemId !== null ? records.get(item.itemId) : undefined;
      if (!record) {
        recordFailure(item.ord, 'the library item behind this run item was removed');
        continue;
      }
      let prompt: RenderedPrompt;
      try {
        prompt = renderPrompt(template, cache.context(record));
      } catch (err) {
        recordFailure(item.ord, `prompt: ${err instanceof Error ? err.message : String(err)}`);
        continue;
      }
      owners.push({ item, prompt });
      requests.push({
        ...('messages' in prompt ? { messages: prompt.messages } : { prompt: prompt.text }),
        maxTokens: spec.decoding.maxTokens,
        temperature: spec.decoding.temperature,
        ...(spec.decoding.topP !== undefined ? { topP: spec.decoding.topP } : {}),
        ...(spec.decoding.topK !== undefined ? { topK: spec.decoding.topK } : {}),
        ...(spec.decoding.seed !== undefined ? { seed: spec.decoding.seed } : {}),
        ...(spec.decoding.stop?.length ? { stop: spec.decoding.stop } : {}),
      });
    }
    const generation = generator.generateMany(requests, {
      parallel,
      signal,
      onResult: (i, outcome) => {
        // This runs inside the backend's own callbacks (the engine child's messages, a socket):
        // a write that fails here — the library locked by a long import past busy_timeout — must
        // stop the run with its reason, not escape as an uncaught exception that ends the host.
        try {
          onOutcome(i, outcome);
        } catch (err) {
          failure ??= err;
        }
      },
    });
    function onOutcome(i: number, outcome: GenOutcome): void {
      const owner = owners[i];
      if (!owner) return;
      const promptJson = JSON.stringify(owner.prompt);
      if (outcome.ok) {
        const r = outcome.value;
        if (r.stopReason === 'abort') return; // stays pending for the resume
        if (
          recordItem(db, runId, owner.item.ord, {
            promptJson,
            renderedPrompt: r.renderedPrompt,
            rawOutput: r.text,
            extracted: extractAnswer(owner.item.benchmark, owner.item.task, r.text),
            promptTokens: r.promptTokens,
            outputTokens: r.outputTokens,
            latencyMs: r.totalMs,
            ttftMs: r.timeToFirstTokenMs,
            error: null,
            truncatedTokens: r.truncation?.removedTokens ?? null,
          })
        ) {
          done++;
          tokens += r.outputTokens;
        }
      } else {
        if (signal.aborted) return;
        recordFailure(owner.item.ord, outcome.error.message, promptJson);
      }
    }
    if (inFlight.length === 0) mark = performance.now();
    const tracked: Promise<void> = generation
      .then(
        () => {
          account();
          processedHere += chunk.length;
          report();
        },
        (err: unknown) => {
          failure ??= err;
        },
      )
      .finally(() => {
        void inFlight.splice(inFlight.indexOf(tracked), 1);
        if (inFlight.length === 0) {
          account();
          mark = null;
        }
      });
    inFlight.push(tracked);
    if (inFlight.length >= 2) await Promise.race(inFlight);
  }
  while (inFlight.length) await Promise.race(inFlight);
  if (failure !== null) throw failure;
  return (db.prepare("SELECT COUNT(*) FROM run_items WHERE run_id = ? AND status = 'pending'").pluck().get(runId) as number) === 0;
}
