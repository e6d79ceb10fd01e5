/** The open task's details (instructions, examples, provenance) and which tab of the right pane is shown. */
import { create } from 'zustand';
import type { TaskDetail } from '../../../../shared/domain';
import { toErrorData, type ApiErrorData } from '../../../../shared/errors';
import { getClient } from '../../client/current';
import { lateAnswerGuard } from '../../lib/lateAnswer';

/** What the right-hand pane of the Library shows: the open task's details or the open item. */
export type DetailTab = 'task' | 'item';

interface TaskDetailState {
  taskId: number | null;
  detail: TaskDetail | null;
  loading: boolean;
  error: ApiErrorData | null;
  tab: DetailTab;
  open(taskId: number): Promise<void>;
  /** Fetches the open task again (after an import, which may add variants or replace files). */
  reload(): Promise<void>;
  close(): void;
  setTab(tab: DetailTab): void;
}

const detailAnswer = lateAnswerGuard();

export const useTaskDetail = create<TaskDetailState>()((set, get) => ({
  taskId: null,
  detail: null,
  loading: false,
  error: null,
  tab: 'task',

  async open(taskId) {
    const isLatest = detailAnswer.start();
    // Keep the old details on screen while the same task reloads, so the pane does not flicker.
    const same = get().detail?.id === taskId;
    set({ taskId, loading: true, error: null, ...(same ? {} : { detail: null }) });
    try {
      const detail = await getClient().getTask({ taskId });
      if (!isLatest()) return;
      set({ detail, loading: false });
    } catch (err) {
      if (!isLatest()) return;
      set({ loading: false, error: toErrorData(err) });
    }
  },

  async reload() {
    const { taskId } = get();
    if (taskId !== null) await get().open(taskId);
  },

  close() {
    detailAnswer.invalidate();
    set({ taskId: null, detail: null, loading: false, error: null, tab: 'task' });
  },

  setTab(tab) {
    set({ tab });
  },
}));
