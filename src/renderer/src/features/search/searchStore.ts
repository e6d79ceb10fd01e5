/**
 * Search: the query and facet filters, the pages of hits and instruction matches, the cursor, and
 * opening a hit (which reveals its task in the Library and opens the item).
 */
import { create } from 'zustand';
import type { CallInput } from '../../../../shared/contract';
import type { InstructionMatch, SearchHit, SearchResult, SplitName, TaskConfig, TaskSummary } from '../../../../shared/domain';
import { toErrorData, type ApiErrorData } from '../../../../shared/errors';
import { getClient } from '../../client/current';
import { lateAnswerGuard } from '../../lib/lateAnswer';
import { focusById } from '../../lib/listKeys';
import { useItems } from '../library/itemsStore';
import { useItemView } from '../library/itemViewStore';
import { useLibrary } from '../library/libraryStore';

export const SEARCH_DEBOUNCE_MS = 200;
export const SEARCH_PAGE_SIZE = 50;

export type FacetName = keyof SearchResult['facets'];
export const FACET_NAMES: readonly FacetName[] = ['benchmark', 'category', 'task', 'config', 'split', 'language'];

/** One chosen value per facet: the value exactly as the engine's facet lists it. */
export type FacetFilters = Partial<Record<FacetName, string>>;

interface SearchState {
  /** What is in the box; the search is active while it has non-blank text. */
  query: string;
  filters: FacetFilters;
  /** One per record: copies of a record on later pages are folded into the hit already listed. */
  hits: SearchHit[];
  /** Matching items read so far (the next page's offset): more than `hits` where copies were grouped. */
  consumed: number;
  total: number | null;
  /** False while `total` and some facet counts are lower bounds (a broad query); `counting` says they are being finished. */
  exact: boolean;
  /** The exact counts (`searchFacets`) are being computed after the hits arrived. */
  counting: boolean;
  tookMs: number | null;
  facets: SearchResult['facets'] | null;
  /** Instructions that match, each once with the tasks that use it (first page only). */
  instructionMatches: InstructionMatch[];
  /** False when the engine listed hits in library order because too many matched; null before an answer. */
  ranked: boolean | null;
  /** A request for the first page is in flight (typing, a facet change). */
  loading: boolean;
  /** A request for the next page is in flight. */
  loadingMore: boolean;
  error: ApiErrorData | null;
  /** Keyboard cursor: an index into `hits`. */
  cursor: number | null;
  /** The hit last opened in the item view. */
  openItemId: number | null;

  setQuery(query: string): void;
  /** Runs a search still waiting out the debounce now, then opens the hit under the cursor. */
  submit(): Promise<void>;
  toggleFacet(facet: FacetName, value: string): void;
  loadMore(): Promise<void>;
  clear(): void;
  select(index: number): void;
  /** Opens a hit (or one of its copies, by item id) in the item view, its query words marked. */
  openHit(index: number, copyItemId?: number): Promise<void>;
  /** Leaves the search and lists the items of a task named by an instruction match. */
  openTask(task: InstructionMatch['tasks'][number]): Promise<void>;
}

export function isActive(query: string): boolean {
  return query.trim().length > 0;
}

export function hasMoreHits(state: Pick<SearchState, 'consumed' | 'total'>): boolean {
  return state.total !== null && state.consumed < state.total;
}

/** Appends a page's hits, folding a copy of a record already listed into its hit (the engine groups per page). */
export function mergeHits(shown: SearchHit[], page: SearchHit[]): SearchHit[] {
  const byKey = new Map(shown.map((h, i) => [h.recordKey, i]));
  const out = shown.slice();
  for (const hit of page) {
    const at = hit.recordKey === undefined ? undefined : byKey.get(hit.recordKey);
    if (at === undefined) {
      byKey.set(hit.recordKey, out.length);
      out.push(hit);
      continue;
    }
    const first = out[at]!;
    const known = new Set(first.copies.map((c) => c.itemId));
    out[at] = { ...first, copies: [...first.copies, ...hit.copies.filter((c) => !known.has(c.itemId))] };
  }
  return out;
}

/**
 * After a new query, a chosen facet value the new matches no longer have is dropped: it would
 * otherwise filter everything out without saying why. Counts still being finished (not exact) keep it.
 */
export function stillApplying(filters: FacetFilters, facets: SearchResult['facets']): FacetFilters {
  const kept: FacetFilters = {};
  for (const [name, value] of Object.entries(filters) as [FacetName, string][]) {
    const v = (facets[name] ?? []).find((f) => f.value === value);
    if (v && (v.count > 0 || v.exact === false)) kept[name] = value;
  }
  return kept;
}

/** Restarted whenever the query or filters change: answers for the older query are dropped. */
const queryAnswer = lateAnswerGuard();
let debounceTimer: ReturnType<typeof setTimeout> | undefined;
const openAnswer = lateAnswerGuard();
/** The first-page request in flight, so Enter can wait for the answer to what was typed. */
let inflight: Promise<void> | null = null;

/** Every task of every benchmark, to turn a `benchmark/task` facet value into a task id. */
let allTasks: Promise<TaskSummary[]> | null = null;

function loadAllTasks(refresh = false): Promise<TaskSummary[]> {
  if (refresh || allTasks === null) {
    const pending = getClient().listTasks({});
    allTasks = pending;
    // A failed listing must not stick: the next facet click asks again.
    pending.catch(() => {
      if (allTasks === pending) allTasks = null;
    });
  }
  return allTasks;
}

async function taskIdFor(value: string): Promise<number> {
  const find = (tasks: TaskSummary[]) => tasks.find((t) => `${t.benchmark}/${t.name}` === value)?.id;
  // The library may have grown since the list was fetched (an import), so look once more before giving up.
  const id = find(await loadAllTasks()) ?? find(await loadAllTasks(true));
  if (id === undefined) throw new Error(`search: no task "${value}" in the library`);
  return id;
}

const SPLITS: readonly string[] = ['train', 'dev', 'test'] satisfies SplitName[];
const CONFIGS: readonly string[] = ['few-shot', 'zero-shot', 'default'] satisfies TaskConfig[];

async function buildInput(query: string, filters: FacetFilters, offset: number): Promise<CallInput<'search'>> {
  const input: CallInput<'search'> = { query: query.trim(), limit: SEARCH_PAGE_SIZE, offset };
  if (filters.benchmark !== undefined) input.benchmark = filters.benchmark;
  if (filters.category !== undefined) input.category = filters.category;
  if (filters.language !== undefined) input.language = filters.language;
  if (filters.split !== undefined && SPLITS.includes(filters.split)) input.split = filters.split as SplitName;
  if (filters.config !== undefined && CONFIGS.includes(filters.config)) input.config = filters.config as TaskConfig;
  if (filters.task !== undefined) input.taskId = await taskIdFor(filters.task);
  return input;
}

/** Matching items a page covered: its limit, or what was left (every copy on it is one item). */
function pageItems(hits: SearchHit[], limit: number, left: number): number {
  const items = hits.reduce((n, h) => n + (h.copies?.length ?? 1), 0);
  return Math.max(items, Math.min(limit, Math.max(0, left)));
}

function cancelDebounce(): void {
  if (debounceTimer !== undefined) {
    clearTimeout(debounceTimer);
    debounceTimer = undefined;
  }
}

const cleared = {
  hits: [],
  consumed: 0,
  total: null,
  exact: true,
  counting: false,
  tookMs: null,
  facets: null,
  instructionMatches: [],
  ranked: null,
  loading: false,
  loadingMore: false,
  error: null,
  cursor: null,
} satisfies Partial<SearchState>;

/** The query text of the last answer: a first page for another text re-checks the chosen facets. */
let answeredQuery: string | null = null;

export const useSearch = create<SearchState>()((set, get) => {
  /** Asks for the first page of the current query and filters, replacing what is shown. */
  function runFirstPage(): Promise<void> {
    const run = firstPage();
    inflight = run;
    void run.finally(() => {
      if (inflight === run) inflight = null;
    });
    return run;
  }

  async function firstPage(): Promise<void> {
    cancelDebounce();
    const { query, filters } = get();
    const isLatest = queryAnswer.start();
    if (!isActive(query)) {
      set({ ...cleared });
      return;
    }
    set({ loading: true, loadingMore: false, error: null });
    let input: CallInput<'search'>;
    try {
      input = await buildInput(query, filters, 0);
      const result = await getClient().search(input);
      if (!isLatest()) return;
      const newQuery = answeredQuery !== null && answeredQuery !== input.query;
      answeredQuery = input.query;
      if (newQuery && Object.keys(filters).length > 0) {
        const kept = stillApplying(filters, result.facets);
        if (Object.keys(kept).length < Object.keys(filters).length) {
          // Ask again without the facets that no longer apply; this answer is for a filter the user did not mean.
          set({ filters: kept });
          await firstPage();
          return;
        }
      }
      // Older engines answer without `exact`: their counts were always exact.
      const exact = result.exact ?? true;
      set({
        hits: mergeHits([], result.hits),
        consumed: pageItems(result.hits, input.limit ?? SEARCH_PAGE_SIZE, result.total),
        total: result.total,
        exact,
        counting: !exact,
        tookMs: result.tookMs,
        facets: result.facets,
        // Older engines may answer without these fields.
        instructionMatches: result.instructionMatches ?? [],
        ranked: result.ranked ?? true,
        loading: false,
        error: null,
        cursor: result.hits.length > 0 ? 0 : null,
      });
    } catch (err) {
      if (!isLatest()) return;
      // The facets of an older query would show counts that are not this one's; chosen filters stay visible.
      set({ ...cleared, error: toErrorData(err) });
      return;
    }
    if (get().exact) return;
    // The hits are shown; the exact counts follow in the background and replace the lower bounds.
    const { limit: _limit, offset: _offset, ...facetInput } = input;
    // The engine counts one search at a time and stops a count when another search comes in (another
    // window's, say); a count stopped while this query is still the one shown is asked for once more.
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const counted = await getClient().searchFacets(facetInput);
        if (!isLatest()) return;
        set({ total: counted.total, facets: counted.facets, exact: true, counting: false });
        return;
      } catch (err) {
        if (!isLatest()) return;
        if (attempt === 0 && toErrorData(err).code === 'cancelled') continue;
        // The lower bounds stay, still marked as not exact (shown as "N+", no longer "counting…").
        set({ counting: false });
        return;
      }
    }
  }

  return {
    query: '',
    filters: {},
    ...cleared,
    openItemId: null,

    setQuery(query) {
      const before = get().query;
      set({ query });
      if (query.trim() === before.trim()) return;
      cancelDebounce();
      if (!isActive(query)) {
        queryAnswer.invalidate();
        set({ ...cleared, filters: {} });
        return;
      }
      // An answer for the old text must not land after the new text was typed.
      queryAnswer.invalidate();
      set({ loading: true });
      debounceTimer = setTimeout(() => {
        debounceTimer = undefined;
        void runFirstPage();
      }, SEARCH_DEBOUNCE_MS);
    },

    async submit() {
      if (debounceTimer !== undefined) await runFirstPage();
      else if (inflight) await inflight;
      const { cursor, hits } = get();
      if (hits.length > 0) await get().openHit(cursor ?? 0);
    },

    toggleFacet(facet, value) {
      const filters = { ...get().filters };
      if (filters[facet] === value) delete filters[facet];
      else filters[facet] = value;
      set({ filters });
      void runFirstPage();
    },

    async loadMore() {
      const state = get();
      if (state.loading || state.loadingMore || !hasMoreHits(state) || !isActive(state.query)) return;
      const isLatest = queryAnswer.current();
      set({ loadingMore: true, error: null });
      try {
        const result = await getClient().search(await buildInput(state.query, state.filters, state.consumed));
        if (!isLatest()) return;
        set((s) => ({
          hits: mergeHits(s.hits, result.hits),
          consumed: s.consumed + pageItems(result.hits, SEARCH_PAGE_SIZE, result.total - s.consumed),
          // An exact total (from searchFacets) is not replaced by a later page's lower bound.
          total: s.exact ? s.total : result.total,
          tookMs: result.tookMs,
          loadingMore: false,
        }));
      } catch (err) {
        if (!isLatest()) return;
        set({ loadingMore: false, error: toErrorData(err) });
      }
    },

    clear() {
      cancelDebounce();
      queryAnswer.invalidate();
      set({ query: '', filters: {}, ...cleared });
    },

    select(index) {
      set({ cursor: index });
    },

    async openHit(index, copyItemId) {
      const grouped = get().hits[index];
      if (!grouped) return;
      const copy = grouped.copies?.find((c) => c.itemId === copyItemId);
      const hit: SearchHit = copy ? { ...grouped, ...copy } : grouped;
      const isLatest = openAnswer.start();
      set({ cursor: index, openItemId: hit.itemId });
      try {
        await revealInLibrary(hit);
      } catch {
        // Selecting the task on the left is a convenience; the item opens regardless.
      }
      if (!isLatest()) return;
      await useItemView.getState().open(hit.itemId, { highlight: get().query });
    },

    async openTask(task) {
      openAnswer.invalidate();
      get().clear();
      try {
        await revealTask(task.benchmark, task.taskId);
      } finally {
        focusById('item-list');
      }
    },
  };
});

/** Opens a benchmark (by name) and one of its tasks in the left pane; false when either is gone. */
async function revealTask(benchmarkName: string, taskId: number): Promise<boolean> {
  let library = useLibrary.getState();
  let benchmark = library.benchmarks?.find((b) => b.name === benchmarkName);
  if (!benchmark) {
    // Imported since the list was loaded.
    await library.loadBenchmarks();
    library = useLibrary.getState();
    benchmark = library.benchmarks?.find((b) => b.name === benchmarkName);
    if (!benchmark) return false;
  }
  if (library.openBenchmarkId !== benchmark.id || library.tasks === null) await library.openBenchmark(benchmark.id);
  else if (!library.tasks.some((t) => t.id === taskId)) await library.reloadTasks();
  if (!useLibrary.getState().tasks?.some((t) => t.id === taskId)) return false;
  useLibrary.getState().openTask(taskId);
  return true;
}

/** Opens the hit's benchmark and task in the left pane, listing the hit's config/split. */
async function revealInLibrary(hit: SearchHit): Promise<void> {
  const library = useLibrary.getState();
  const benchmark = library.benchmarks?.find((b) => b.name === hit.benchmark);
  if (!benchmark) return;
  if (library.openBenchmarkId !== benchmark.id || library.tasks === null) await library.openBenchmark(benchmark.id);
  const task = useLibrary.getState().tasks?.find((t) => t.id === hit.taskId);
  if (!task) return;
  useLibrary.getState().openTask(task.id);
  const items = useItems.getState();
  const view = items.view;
  const hasSplit = task.splits.some((s) => s.config === hit.config && s.split === hit.split);
  if (hasSplit && view !== null && (view.config !== hit.config || view.split !== hit.split)) {
    items.setView({ config: hit.config, split: hit.split });
  }
}
