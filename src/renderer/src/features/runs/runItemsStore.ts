/** The open run's item rows: pages loaded so far, the cursor and open row, and live refresh of rows still pending. */
import { create } from 'zustand';
import { toErrorData, type ApiErrorData } from '../../../../shared/errors';
import type { CallInput } from '../../../../shared/contract';
import type { RunItemFacets, RunItemRow } from '../../../../shared/runs';
import { getClient } from '../../client/current';
import { lateAnswerGuard } from '../../lib/lateAnswer';

export const RUN_ITEMS_PAGE = 200;

export type ItemShow = 'all' | 'right' | 'wrong' | 'errors' | 'truncated';
export type ItemMetricRange = NonNullable<CallInput<'pageRunItems'>['metric']>;
export type ItemSort = { metric: string; dir: 'asc' | 'desc' };
/** The most rows one live refresh asks for (the engine's page limit). */
const MAX_REFRESH = 1000;
/** While a run is going, the loaded rows are refreshed at most this often. */
const LIVE_INTERVAL_MS = 700;

interface RunItemsState {
  runId: number | null;
  items: RunItemRow[];
  /** null until the first page arrives. */
  total: number | null;
  nextCursor: number | null;
  loading: boolean;
  error: ApiErrorData | null;
  /** Keyboard cursor: an index into `items`. */
  cursor: number | null;
  /** The item shown in the item view (its `ord`, stable while rows refresh). */
  openOrd: number | null;
  /** Which items the list shows (engine-side, so totals and paging cover the whole run). */
  show: ItemShow;
  search: string;
  /** Only items with this (first) gold label; null: any. */
  gold: string | null;
  /** Only items with a value of this metric in range; null: any. */
  metric: ItemMetricRange | null;
  /** Order by one metric; null: run order. */
  sort: ItemSort | null;
  /** The run's gold labels (with counts) and metrics, from the first page (later pages do not count the labels again). */
  facets: RunItemFacets | null;
  /** Shows only these items; the list reloads from its first page. */
  setFilter(f: ItemFilter): void;

  open(runId: number): void;
  close(): void;
  loadMore(): Promise<void>;
  select(index: number): void;
  openItem(index: number): void;
  /** Re-reads the loaded rows that were still pending (the run moved on); throttled. */
  refreshLive(): void;
}

export interface ItemFilter {
  show?: ItemShow;
  search?: string;
  gold?: string | null;
  metric?: ItemMetricRange | null;
  sort?: ItemSort | null;
}

const noFilter = { show: 'all', search: '', gold: null, metric: null, sort: null } satisfies Required<ItemFilter>;

/** The filter part of a pageRunItems call: the same for a page and for a live refresh. */
function filterArgs(s: Required<ItemFilter>): Partial<CallInput<'pageRunItems'>> {
  return {
    show: s.show,
    ...(s.search.trim() ? { search: s.search } : {}),
    ...(s.gold !== null ? { gold: s.gold } : {}),
    ...(s.metric !== null ? { metric: s.metric } : {}),
    ...(s.sort !== null ? { sort: s.sort } : {}),
  };
}

/** True while any filter narrows the list (the list says "no items match" rather than "no items"). */
export function isFiltered(s: Required<ItemFilter>): boolean {
  return s.show !== 'all' || s.search.trim() !== '' || s.gold !== null || s.metric !== null;
}

/** Invalidated when the listed run changes: answers for the older run are dropped. */
const runAnswer = lateAnswerGuard();
let liveTimer: ReturnType<typeof setTimeout> | undefined;
let liveInFlight = false;
let liveAgain = false;
let lastLive = 0;

export function hasMoreRunItems(state: Pick<RunItemsState, 'total' | 'nextCursor'>): boolean {
  return state.total === null || state.nextCursor !== null;
}

function resetLive(): void {
  if (liveTimer !== undefined) clearTimeout(liveTimer);
  liveTimer = undefined;
  liveAgain = false;
}

const emptyList = { items: [], total: null, nextCursor: null, loading: false, error: null, cursor: null, openOrd: null } satisfies Partial<RunItemsState>;

export const useRunItems = create<RunItemsState>()((set, get) => {
  async function refreshNow(): Promise<void> {
    const { runId, items } = get();
    if (runId === null) return;
    if (items.length === 0) {
      set({ total: null, nextCursor: null });
      await get().loadMore();
      return;
    }
    const first = items.findIndex((r) => r.status === 'pending');
    if (first === -1) return;
    const isLatest = runAnswer.current();
    liveInFlight = true;
    lastLive = performance.now();
    try {
      const after = first > 0 ? items[first - 1]!.ord : -1;
      const limit = Math.min(MAX_REFRESH, items.length - first);
      const page = await getClient().pageRunItems({ runId, after, limit, ...filterArgs(get()) });
      if (!isLatest()) return;
      set((s) => {
        const next = s.items.slice();
        const at = new Map(next.map((r, i) => [r.ord, i]));
        for (const row of page.items) {
          const i = at.get(row.ord);
          if (i !== undefined) next[i] = row;
        }
        return { items: next, total: page.total };
      });
    } catch {
      // A failed refresh is retried by the next progress event; the rows shown stay valid.
    } finally {
      liveInFlight = false;
      if (liveAgain && isLatest()) {
        liveAgain = false;
        get().refreshLive();
      }
    }
  }

  return {
    runId: null,
    ...emptyList,
    ...noFilter,
    facets: null,

    setFilter(f) {
      runAnswer.invalidate();
      resetLive();
      const changed = Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as ItemFilter;
      set({ ...emptyList, ...changed });
      void get().loadMore();
    },

    open(runId) {
      if (get().runId === runId) return;
      runAnswer.invalidate();
      resetLive();
      set({ runId, ...emptyList, ...noFilter, facets: null });
      void get().loadMore();
    },

    close() {
      runAnswer.invalidate();
      resetLive();
      set({ runId: null, ...emptyList });
    },

    async loadMore() {
      const state = get();
      if (state.runId === null || state.loading || !hasMoreRunItems(state)) return;
      const isLatest = runAnswer.current();
      set({ loading: true, error: null });
      try {
        const page = await getClient().pageRunItems({
          runId: state.runId,
          ...(state.nextCursor !== null ? { after: state.nextCursor } : {}),
          limit: RUN_ITEMS_PAGE,
          ...filterArgs(state),
        });
        if (!isLatest()) return;
        const nextCursor = page.items.length === 0 ? null : page.nextCursor;
        set((s) => ({
          items: [...s.items, ...page.items],
          total: page.total,
          nextCursor,
          loading: false,
          facets: s.items.length === 0 ? (page.facets ?? null) : s.facets,
        }));
        if (liveAgain) {
          liveAgain = false;
          get().refreshLive();
        }
      } catch (err) {
        if (!isLatest()) return;
        set({ loading: false, error: toErrorData(err) });
      }
    },

    select(index) {
      set({ cursor: index });
    },

    openItem(index) {
      const row = get().items[index];
      if (!row) return;
      set({ cursor: index, openOrd: row.ord });
    },

    refreshLive() {
      if (get().runId === null) return;
      if (liveInFlight || get().loading) {
        liveAgain = true;
        return;
      }
      if (liveTimer !== undefined) return;
      const wait = Math.max(0, LIVE_INTERVAL_MS - (performance.now() - lastLive));
      liveTimer = setTimeout(() => {
        liveTimer = undefined;
        void refreshNow();
      }, wait);
    },
  };
});
