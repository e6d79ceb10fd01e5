/** The one item open in the Library's right pane, fetched in full. */
import { create } from 'zustand';
import type { Item } from '../../../../shared/domain';
import { toErrorData, type ApiErrorData } from '../../../../shared/errors';
import { getClient } from '../../client/current';
import { lateAnswerGuard } from '../../lib/lateAnswer';
import { useTaskDetail } from './taskDetailStore';

interface ItemViewState {
  itemId: number | null;
  item: Item | null;
  loading: boolean;
  error: ApiErrorData | null;
  open(itemId: number): Promise<void>;
  close(): void;
}

const itemAnswer = lateAnswerGuard();

export const useItemView = create<ItemViewState>()((set) => ({
  itemId: null,
  item: null,
  loading: false,
  error: null,

  async open(itemId) {
    const isLatest = itemAnswer.start();
    set({ itemId, item: null, loading: true, error: null });
    useTaskDetail.getState().setTab('item');
    try {
      const item = await getClient().getItem({ itemId });
      if (!isLatest()) return;
      set({ item, loading: false });
    } catch (err) {
      if (!isLatest()) return;
      set({ loading: false, error: toErrorData(err) });
    }
  },

  close() {
    itemAnswer.invalidate();
    set({ itemId: null, item: null, loading: false, error: null });
    useTaskDetail.getState().setTab('task');
  },
}));
