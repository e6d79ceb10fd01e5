/** The one item open in the Library's right pane, fetched in full, with every run's answer to it and the search words to mark. */
import { create } from 'zustand';
import type { Item } from '../../../../shared/domain';
import type { ItemRunsResult } from '../../../../shared/itemRuns';
import { toErrorData, type ApiErrorData } from '../../../../shared/errors';
import { getClient } from '../../client/current';
import { lateAnswerGuard } from '../../lib/lateAnswer';
import { useTaskDetail } from './taskDetailStore';

interface ItemViewState {
  itemId: number | null;
  item: Item | null;
  loading: boolean;
  error: ApiErrorData | null;
  /** Every run's answer to the item (itemRuns); null until it arrives. */
  runs: ItemRunsResult | null;
  runsLoading: boolean;
  runsError: ApiErrorData | null;
  /** The search query the item was opened from: its words are marked in the item. */
  highlight: string | null;
  open(itemId: number, opts?: { highlight?: string }): Promise<void>;
  /** Asks for the runs again (after a failure). */
  reloadRuns(): Promise<void>;
  close(): void;
}

const itemAnswer = lateAnswerGuard();
const runsAnswer = lateAnswerGuard();

export const useItemView = create<ItemViewState>()((set, get) => {
  async function loadRuns(itemId: number): Promise<void> {
    const isLatest = runsAnswer.start();
    set({ runs: null, runsLoading: true, runsError: null });
    try {
      const runs = await getClient().itemRuns({ itemId });
      if (!isLatest()) return;
      set({ runs, runsLoading: false });
    } catch (err) {
      if (!isLatest()) return;
      set({ runsLoading: false, runsError: toErrorData(err) });
    }
  }

  return {
    itemId: null,
    item: null,
    loading: false,
    error: null,
    runs: null,
    runsLoading: false,
    runsError: null,
    highlight: null,

    async open(itemId, opts = {}) {
      const isLatest = itemAnswer.start();
      set({ itemId, item: null, loading: true, error: null, highlight: opts.highlight?.trim() || null });
      useTaskDetail.getState().setTab('item');
      // The runs come separately: the item shows at once, its runs' answers when they are read.
      const runs = loadRuns(itemId);
      try {
        const item = await getClient().getItem({ itemId });
        if (!isLatest()) return;
        set({ item, loading: false });
      } catch (err) {
        if (!isLatest()) return;
        set({ loading: false, error: toErrorData(err) });
      }
      await runs;
    },

    async reloadRuns() {
      const { itemId } = get();
      if (itemId !== null) await loadRuns(itemId);
    },

    close() {
      itemAnswer.invalidate();
      runsAnswer.invalidate();
      set({ itemId: null, item: null, loading: false, error: null, runs: null, runsLoading: false, runsError: null, highlight: null });
      useTaskDetail.getState().setTab('task');
    },
  };
});
