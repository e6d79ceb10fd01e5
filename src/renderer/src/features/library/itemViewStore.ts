import { create } from 'zustand';
import type { Item } from '../../../../shared/domain';
import { toErrorData, type ApiErrorData } from '../../../../shared/errors';
import { getClient } from '../../client';
import { useTaskDetail } from './taskDetailStore';

interface ItemViewState {
  itemId: number | null;
  item: Item | null;
  loading: boolean;
  error: ApiErrorData | null;
  open(itemId: number): Promise<void>;
  close(): void;
}

let request = 0;

export const useItemView = create<ItemViewState>()((set) => ({
  itemId: null,
  item: null,
  loading: false,
  error: null,

  async open(itemId) {
    const mine = ++request;
    set({ itemId, item: null, loading: true, error: null });
    useTaskDetail.getState().setTab('item');
    try {
      const item = await getClient().getItem({ itemId });
      if (mine !== request) return;
      set({ item, loading: false });
    } catch (err) {
      if (mine !== request) return;
      set({ loading: false, error: toErrorData(err) });
    }
  },

  close() {
    request += 1;
    set({ itemId: null, item: null, loading: false, error: null });
    useTaskDetail.getState().setTab('task');
  },
}));
