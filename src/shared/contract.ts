/**
 * The one contract between UI and engine: every call with its input schema and result
 * type, and every pushed event. Hosts (Electron IPC, the web host) serve exactly these
 * names and validate input with these schemas; the renderer sees only `MedtaskClient`.
 */
import { z } from 'zod';
import { CALL_NAMES } from './names';
export { CALL_NAMES, EVENT_NAMES } from './names';
import type { Benchmark, ImportPreview, ImportProgress, ImportResult, Item, ItemPage, SearchResult, TaskSummary } from './domain';

const id = z.number().int().positive();
const column = z.string().min(1).max(200);
const columnMapping = z
  .object({ instruction: column.optional(), input: column, output: column, history: column.optional(), id: column.optional() })
  .strict();
const importTarget = z
  .object({
    benchmark: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'lower-case letters, digits, ".", "_" or "-"').optional(),
    benchmarkTitle: z.string().min(1).max(200).optional(),
    task: z.string().min(1).max(200).optional(),
    category: z.string().min(1).max(100).optional(),
    split: z.enum(['train', 'dev', 'test']).optional(),
    config: z.enum(['few-shot', 'zero-shot', 'default']).optional(),
    instruction: z.string().max(20_000).optional(),
  })
  .strict();

export const callInputs = {
  listBenchmarks: z.object({}).strict(),
  listTasks: z.object({ benchmarkId: id.optional() }).strict(),
  pageItems: z
    .object({
      taskId: id,
      config: z.enum(['few-shot', 'zero-shot', 'default']).optional(),
      split: z.enum(['train', 'dev', 'test']).optional(),
      /** Keyset cursor: the `nextCursor` of the previous page. */
      after: z.number().int().nonnegative().optional(),
      limit: z.number().int().min(1).max(1000).default(100),
    })
    .strict(),
  getItem: z.object({ itemId: id }).strict(),
  importPaths: z
    .object({
      paths: z.array(z.string().min(1)).min(1),
      /** Chosen by the caller so it can cancel the import while it runs. */
      importId: z.string().min(1).max(100).optional(),
      /** For files in no published layout: which columns hold what, and where they go. */
      mapping: columnMapping.optional(),
      target: importTarget.optional(),
    })
    .strict(),
  /** What an import would write (layouts, tasks, splits, row counts), without writing. */
  previewImport: z
    .object({ paths: z.array(z.string().min(1)).min(1), mapping: columnMapping.optional(), target: importTarget.optional() })
    .strict(),
  cancelImport: z.object({ importId: z.string().min(1).max(100) }).strict(),
  /** Imports the small synthetic demo pack shipped with the app. */
  importDemo: z.object({ importId: z.string().min(1).max(100).optional() }).strict(),
  search: z
    .object({
      query: z.string().trim().min(1).max(500),
      benchmark: z.string().max(100).optional(),
      category: z.string().max(100).optional(),
      taskId: id.optional(),
      split: z.enum(['train', 'dev', 'test']).optional(),
      language: z.string().max(50).optional(),
      limit: z.number().int().min(1).max(200).default(50),
      offset: z.number().int().min(0).max(10_000).default(0),
    })
    .strict(),
} as const;

export interface CallResults {
  listBenchmarks: Benchmark[];
  listTasks: TaskSummary[];
  pageItems: ItemPage;
  getItem: Item;
  importPaths: ImportResult;
  previewImport: ImportPreview;
  /** True when an import with that id was running and is now being rolled back. */
  cancelImport: boolean;
  importDemo: ImportResult;
  search: SearchResult;
}

export interface EventPayloads {
  importProgress: ImportProgress;
}

export type CallName = keyof typeof callInputs;
export type EventName = keyof EventPayloads;
/** What a caller may pass (defaults optional). */
export type CallInput<N extends CallName> = z.input<(typeof callInputs)[N]>;
/** What a handler receives after validation (defaults filled). */
export type CallArgs<N extends CallName> = z.output<(typeof callInputs)[N]>;

// Checked both ways against the schemas, so a call cannot be added to one list only.
type SameKeys<A, B> = [Exclude<A, B>, Exclude<B, A>] extends [never, never] ? true : never;
const _namesMatch: SameKeys<(typeof CALL_NAMES)[number], CallName> = true;
void _namesMatch;

/** The client the renderer programs against; both transports implement it. */
export type MedtaskClient = {
  [N in CallName]: (input: CallInput<N>) => Promise<CallResults[N]>;
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
};

/** The engine side: one handler per call, given validated arguments. */
export type CallHandlers = {
  [N in CallName]: (args: CallArgs<N>) => Promise<CallResults[N]> | CallResults[N];
};

export type EventSink = <E extends EventName>(event: E, payload: EventPayloads[E]) => void;
