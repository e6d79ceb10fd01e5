/** The open task's item list: the split shown, the pages loaded so far, and the keyboard cursor. */
import { create } from 'zustand';
import type { ItemSummary, SplitName, TaskConfig, TaskSummary } from '../../../../shared/domain';
import { toErrorData, type ApiErrorData } from '../../../../shared/errors';
import { getClient } from '../../client/current';
import { lateAnswerGuard } from '../../lib/lateAnswer';
import { useItemView } from './itemViewStore';

export interface SplitView {
  config: TaskConfig;
  split: SplitName;
}

export const PAGE_SIZE = 200;

interface ItemsState {
  task: TaskSummary | null;
  /** The config/split being listed; null lists every split of the task. */
  view: SplitView | null;
  items: ItemSummary[];
  /** null until the first page of the current view arrives. */
  total: number | null;
  nextCursor: number | null;
  loading: boolean;
  error: ApiErrorData | null;
  /** Keyboard cursor: an index into `items`. */
  cursor: number | null;

  open(task: TaskSummary): void;
  close(): void;
  setView(view: SplitView | null): void;
  loadMore(): Promise<void>;
  select(index: number): void;
  openItem(index: number): void;
}

/** Invalidated whenever the listed task or view changes: pages for the old one are dropped. */
const pageAnswer = lateAnswerGuard();

function defaultView(task: TaskSummary): SplitView | null {
  const first = task.splits[0];
  return first ? { config: first.config, split: first.split } : null;
}

type ListState = Pick<ItemsState, 'items' | 'total' | 'nextCursor' | 'loading' | 'error' | 'cursor'>;

function emptyList(): ListState {
  return { items: [], total: null, nextCursor: null, loading: false, error: null, cursor: null };
}

export function hasMore(state: Pick<ItemsState, 'total' | 'nextCursor'>): boolean {
  return state.total === null || state.nextCursor !== null;
}

export const useItems = create<ItemsState>()((set, get) => ({
  task: null,
  view: null,
  ...emptyList(),

  open(task) {
    pageAnswer.invalidate();
    set({ task, view: defaultView(task), ...emptyList() });
    useItemView.getState().close();
    void get().loadMore();
  },

  close() {
    pageAnswer.invalidate();
    set({ task: null, view: null, ...emptyList() });
    useItemView.getState().close();
  },

  setView(view) {
    pageAnswer.invalidate();
    set({ view, ...emptyList() });
    void get().loadMore();
  },

  async loadMore() {
    const state = get();
    if (!state.task || state.loading || !hasMore(state)) return;
    const isLatest = pageAnswer.current();
    set({ loading: true, error: null });
    try {
      const page = await getClient().pageItems({
        taskId: state.task.id,
        ...(state.view ?? {}),
        ...(state.nextCursor !== null ? { after: state.nextCursor } : {}),
        limit: PAGE_SIZE,
      });
      if (!isLatest()) return;
      // An empty page with a cursor would make the list ask again forever; treat it as the end.
      const nextCursor = page.items.length === 0 ? null : page.nextCursor;
      set((s) => ({ items: [...s.items, ...page.items], total: page.total, nextCursor, loading: false }));
    } catch (err) {
      if (!isLatest()) return;
      set({ loading: false, error: toErrorData(err) });
    }
  },

  select(index) {
    set({ cursor: index });
  },

  openItem(index) {
    const item = get().items[index];
    if (!item) return;
    set({ cursor: index });
    void useItemView.getState().open(item.id);
  },
}));
