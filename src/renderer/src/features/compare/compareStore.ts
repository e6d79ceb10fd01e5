/**
 * The Compare view's state: which runs are compared, the aligned rows and statistics the engine
 * returned, and the filters, sort, keyboard cursor, open item and diff choice applied to them
 * here. Filtering and sorting use the shared functions the CLI uses, on the rows already loaded,
 * so a filter change never waits on the engine; only a full-text search asks again.
 */
import { create } from 'zustand';
import {
  defaultFilter,
  filterRows,
  sortRows,
  type CompareCounts,
  type CompareFilter,
  type CompareItemDetail,
  type CompareResult,
  type CompareSort,
  type CompareStatsResult,
} from '../../../../shared/compare';
import { toErrorData, type ApiErrorData } from '../../../../shared/errors';
import { getClient } from '../../client/current';
import { lateAnswerGuard } from '../../lib/lateAnswer';

/** A diff side: a run's position in the comparison, or the gold output. */
export type DiffSide = number | 'gold';

interface CompareState {
  /** Runs picked for the next comparison, in pick order (the first is the baseline unless chosen). */
  picked: number[];
  baselineRunId: number | null;
  result: CompareResult | null;
  /** `result` holds only the first rows (drawn at once); the whole set is on its way. Counts wait for it. */
  partial: boolean;
  stats: CompareStatsResult | null;
  loading: boolean;
  statsLoading: boolean;
  error: ApiErrorData | null;
  statsError: ApiErrorData | null;
  filter: CompareFilter;
  sort: CompareSort;
  search: string;
  /** Row indexes (into result.rows) that pass the filters, in display order. */
  order: number[];
  counts: CompareCounts | null;
  /** Keyboard cursor: a position in `order`. */
  cursor: number | null;
  openKey: string | null;
  detail: CompareItemDetail | null;
  detailError: ApiErrorData | null;
  /** Digits pressed for the diff, most recent last (at most two). */
  diffPicks: DiffSide[];
  diffOpen: boolean;
  sideBySide: boolean;
  /** Milliseconds the last filter or sort took here (shown for the record; read by bench:ui). */
  lastApplyMs: number | null;

  togglePick(runId: number): void;
  setPicked(runIds: number[]): void;
  setBaseline(runId: number | null): void;
  compare(): Promise<void>;
  setFilter(patch: Partial<CompareFilter>): void;
  setSort(patch: Partial<CompareSort>): void;
  setSearch(text: string): Promise<void>;
  move(cursor: number): void;
  open(cursor: number): Promise<void>;
  closeDetail(): void;
  pickDiff(side: DiffSide): void;
  setDiffSides(left: DiffSide, right: DiffSide): void;
  toggleDiff(open?: boolean): void;
  toggleSideBySide(): void;
}

/**
 * Rows asked for first, drawn while the whole comparison (10,000 × 8 runs is a 6 MB answer)
 * follows: a screenful and some to scroll.
 */
export const FIRST_ROWS = 100;

const rowsAnswer = lateAnswerGuard();
const statsAnswer = lateAnswerGuard();
const detailAnswer = lateAnswerGuard();

/** The diff's two sides: the two last picks; one pick is diffed against the gold; none: baseline vs the next run. */
export function diffSides(picks: readonly DiffSide[], baseline: number, runCount: number): [DiffSide, DiffSide] {
  if (picks.length >= 2) return [picks[picks.length - 2]!, picks[picks.length - 1]!];
  if (picks.length === 1) return ['gold', picks[0]!];
  const other = baseline === 0 ? Math.min(1, runCount - 1) : 0;
  return [baseline, other];
}

export const useCompare = create<CompareState>()((set, get) => {
  // The last filtering's answer, for the same rows and filter: a sort change re-sorts it without filtering 80,000 cells again.
  let filtered: { result: CompareResult; filter: CompareFilter; out: ReturnType<typeof filterRows> } | null = null;

  /** Re-applies filters and sort to the loaded rows, keeping the open row under the cursor if it is still shown. */
  const apply = (patch: Partial<CompareState>) => {
    const next = { ...get(), ...patch };
    if (!next.result) {
      filtered = null;
      set({ ...patch, order: [], counts: null, cursor: null });
      return;
    }
    const t0 = performance.now();
    if (filtered?.result !== next.result || filtered.filter !== next.filter)
      filtered = { result: next.result, filter: next.filter, out: filterRows(next.result, next.filter) };
    const { counts } = filtered.out;
    const order = sortRows(next.result, [...filtered.out.indexes], next.sort);
    const ms = performance.now() - t0;
    const openAt = next.openKey === null ? -1 : order.findIndex((i) => next.result!.rows[i]!.key === next.openKey);
    const cursor = openAt >= 0 ? openAt : order.length ? Math.min(next.cursor ?? 0, order.length - 1) : null;
    // Counts of the first rows alone would be wrong: none are shown until the whole set is here.
    set({ ...patch, order, counts: next.partial ? null : counts, cursor, lastApplyMs: ms });
  };

  const loadStats = async () => {
    const { result, picked, baselineRunId } = get();
    if (!result) return;
    const current = statsAnswer.start();
    set({ statsLoading: true, statsError: null });
    try {
      const stats = await getClient().compareStats({ runIds: picked, ...(baselineRunId ? { baselineRunId } : {}) });
      if (current()) set({ stats, statsLoading: false });
    } catch (err) {
      if (current()) set({ statsError: toErrorData(err), statsLoading: false });
    }
  };

  return {
    picked: [],
    baselineRunId: null,
    result: null,
    partial: false,
    stats: null,
    loading: false,
    statsLoading: false,
    error: null,
    statsError: null,
    filter: defaultFilter(2),
    sort: { by: 'order', run: 1, desc: true },
    search: '',
    order: [],
    counts: null,
    cursor: null,
    openKey: null,
    detail: null,
    detailError: null,
    diffPicks: [],
    diffOpen: false,
    sideBySide: true,
    lastApplyMs: null,

    togglePick(runId) {
      const picked = get().picked;
      if (picked.includes(runId))
        set({ picked: picked.filter((id) => id !== runId), baselineRunId: get().baselineRunId === runId ? null : get().baselineRunId });
      else if (picked.length < 8) set({ picked: [...picked, runId] });
    },
    setPicked(runIds) {
      set({ picked: runIds.slice(0, 8), baselineRunId: null });
    },
    setBaseline(runId) {
      set({ baselineRunId: runId });
    },

    async compare() {
      const { picked, baselineRunId, search, sort } = get();
      const current = rowsAnswer.start();
      detailAnswer.invalidate();
      set({ loading: true, error: null, stats: null, statsError: null, openKey: null, detail: null, diffOpen: false, diffPicks: [] });
      const args = {
        runIds: picked,
        ...(baselineRunId ? { baselineRunId } : {}),
        ...(search.trim() ? { search: search.trim() } : {}),
      };
      const show = (result: CompareResult, partial: boolean) => {
        const other = result.baseline === 0 ? 1 : 0;
        const filter = { ...defaultFilter(result.runs.length, result.baseline), threshold: get().filter.threshold };
        apply({ result, partial, loading: partial, filter, sort: { ...get().sort, run: other }, cursor: 0 });
      };
      try {
        // The first rows in source order are the first rows shown; a sorted view waits for the whole set.
        if (sort.by === 'order') {
          const first = await getClient().compareRuns({ ...args, limit: FIRST_ROWS });
          if (!current()) return;
          show(first, first.totalRows > first.rows.length);
          if (!get().partial) {
            void loadStats();
            return;
          }
        }
        const result = await getClient().compareRuns(args);
        if (!current()) return;
        // Filters or a sort chosen on the first rows carry over to the whole set.
        if (get().partial) apply({ result, partial: false, loading: false });
        else show(result, false);
        void loadStats();
      } catch (err) {
        if (current()) set({ error: toErrorData(err), loading: false, partial: false });
      }
    },

    setFilter(patch) {
      apply({ filter: { ...get().filter, ...patch } });
    },
    setSort(patch) {
      apply({ sort: { ...get().sort, ...patch } });
    },

    async setSearch(text) {
      set({ search: text });
      const { result, picked, baselineRunId } = get();
      if (!result) return;
      const current = rowsAnswer.start();
      set({ loading: true, error: null });
      try {
        const next = await getClient().compareRuns({
          runIds: picked,
          ...(baselineRunId ? { baselineRunId } : {}),
          ...(text.trim() ? { search: text.trim() } : {}),
        });
        if (current()) apply({ result: next, partial: false, loading: false, cursor: 0 });
      } catch (err) {
        if (current()) set({ error: toErrorData(err), loading: false, partial: false });
      }
    },

    move(cursor) {
      set({ cursor });
    },

    async open(cursor) {
      const { result, order } = get();
      const row = result?.rows[order[cursor] ?? -1];
      if (!result || !row) return;
      const current = detailAnswer.start();
      set({ cursor, openKey: row.key, detail: null, detailError: null });
      try {
        const detail = await getClient().getCompareItem({ runIds: result.runs.map((r) => r.id), key: row.key, mode: result.mode });
        if (current()) set({ detail });
      } catch (err) {
        if (current()) set({ detailError: toErrorData(err) });
      }
    },

    closeDetail() {
      detailAnswer.invalidate();
      set({ openKey: null, detail: null, detailError: null, diffOpen: false });
    },

    pickDiff(side) {
      const picks = [...get().diffPicks.filter((p) => p !== side), side].slice(-2);
      set({ diffPicks: picks, diffOpen: true });
    },
    setDiffSides(left, right) {
      set({ diffPicks: left === 'gold' ? [right] : [left, right], diffOpen: true });
    },
    toggleDiff(open) {
      set({ diffOpen: open ?? !get().diffOpen });
    },
    toggleSideBySide() {
      set({ sideBySide: !get().sideBySide });
    },
  };
});
