/** The open run's item rows: pages loaded so far, the cursor and open row, and live refresh of rows still pending. */
import { create } from 'zustand';
import { toErrorData, type ApiErrorData } from '../../../../shared/errors';
import type { RunItemRow } from '../../../../shared/runs';
import { getClient } from '../../client/current';
import { lateAnswerGuard } from '../../lib/lateAnswer';

export const RUN_ITEMS_PAGE = 200;

export type ItemShow = 'all' | 'right' | 'wrong' | 'errors' | 'truncated';
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
  /** Shows only these items; the list reloads from its first page. */
  setFilter(f: { show?: ItemShow; search?: string }): void;

  open(runId: number): void;
  close(): void;
  loadMore(): Promise<void>;
  select(index: number): void;
  openItem(index: number): void;
  /** Re-reads the loaded rows that were still pending (the run moved on); throttled. */
  refreshLive(): void;
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
      const { show, search } = get();
      const page = await getClient().pageRunItems({ runId, after, limit, show, ...(search.trim() ? { search } : {}) });
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
    show: 'all',
    search: '',

    setFilter(f) {
      runAnswer.invalidate();
      resetLive();
      set({ ...emptyList, ...(f.show !== undefined ? { show: f.show } : {}), ...(f.search !== undefined ? { search: f.search } : {}) });
      void get().loadMore();
    },

    open(runId) {
      if (get().runId === runId) return;
      runAnswer.invalidate();
      resetLive();
      set({ runId, ...emptyList, show: 'all', search: '' });
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
          show: state.show,
          ...(state.search.trim() ? { search: state.search } : {}),
        });
        if (!isLatest()) return;
        const nextCursor = page.items.length === 0 ? null : page.nextCursor;
        set((s) => ({ items: [...s.items, ...page.items], total: page.total, nextCursor, loading: false }));
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
