/**
 * The Library's left pane: the benchmarks, the open benchmark's tasks, their keyboard cursors and
 * the task filter. Opening a task hands it to the items and task-detail stores.
 */
import { create } from 'zustand';
import type { Benchmark, ImportResult, TaskSummary } from '../../../../shared/domain';
import { toErrorData, type ApiErrorData } from '../../../../shared/errors';
import { getClient } from '../../client/current';
import { lateAnswerGuard } from '../../lib/lateAnswer';
import { useItems } from './itemsStore';
import { useTaskDetail } from './taskDetailStore';

interface LibraryState {
  /** null until the first answer arrives. */
  benchmarks: Benchmark[] | null;
  benchmarksError: ApiErrorData | null;
  /** Keyboard cursor in the benchmark list (an id, so it survives refreshes). */
  benchmarkCursor: number | null;
  openBenchmarkId: number | null;

  tasks: TaskSummary[] | null;
  tasksLoading: boolean;
  tasksError: ApiErrorData | null;
  taskCursor: number | null;
  openTaskId: number | null;
  taskFilter: string;

  init(): Promise<void>;
  loadBenchmarks(): Promise<void>;
  selectBenchmark(id: number): void;
  openBenchmark(id: number): Promise<void>;
  reloadTasks(): Promise<void>;
  selectTask(id: number): void;
  openTask(id: number): void;
  setTaskFilter(filter: string): void;
  refreshAfterImport(result: ImportResult): Promise<void>;
}

const benchmarksAnswer = lateAnswerGuard();
const tasksAnswer = lateAnswerGuard();

export const useLibrary = create<LibraryState>()((set, get) => ({
  benchmarks: null,
  benchmarksError: null,
  benchmarkCursor: null,
  openBenchmarkId: null,
  tasks: null,
  tasksLoading: false,
  tasksError: null,
  taskCursor: null,
  openTaskId: null,
  taskFilter: '',

  async init() {
    await get().loadBenchmarks();
    const { benchmarks, openBenchmarkId } = get();
    const first = benchmarks?.[0];
    if (openBenchmarkId === null && first) await get().openBenchmark(first.id);
  },

  async loadBenchmarks() {
    const isLatest = benchmarksAnswer.start();
    set({ benchmarksError: null });
    try {
      const benchmarks = await getClient().listBenchmarks({});
      if (!isLatest()) return;
      set({ benchmarks });
    } catch (err) {
      if (!isLatest()) return;
      set({ benchmarksError: toErrorData(err) });
    }
  },

  selectBenchmark(id) {
    set({ benchmarkCursor: id });
  },

  async openBenchmark(id) {
    if (get().openBenchmarkId !== id) {
      set({ openBenchmarkId: id, tasks: null, taskCursor: null, openTaskId: null, taskFilter: '' });
      useItems.getState().close();
      useTaskDetail.getState().close();
    }
    set({ benchmarkCursor: id });
    await get().reloadTasks();
  },

  async reloadTasks() {
    const benchmarkId = get().openBenchmarkId;
    if (benchmarkId === null) return;
    const isLatest = tasksAnswer.start();
    set({ tasksLoading: true, tasksError: null });
    try {
      const tasks = await getClient().listTasks({ benchmarkId });
      if (!isLatest()) return;
      set({ tasks, tasksLoading: false });
    } catch (err) {
      if (!isLatest()) return;
      set({ tasksLoading: false, tasksError: toErrorData(err) });
    }
  },

  selectTask(id) {
    set({ taskCursor: id });
  },

  openTask(id) {
    const task = get().tasks?.find((t) => t.id === id);
    if (!task) return;
    const alreadyOpen = get().openTaskId === id && useItems.getState().task?.id === id;
    set({ taskCursor: id, openTaskId: id });
    // Re-opening the open task would throw away the loaded pages and the scroll position.
    if (!alreadyOpen) useItems.getState().open(task);
    const details = useTaskDetail.getState();
    if (details.taskId !== id || details.error) void details.open(id);
    // Choosing a task (again) is asking about the task: show its details over an open item.
    details.setTab('task');
  },

  setTaskFilter(taskFilter) {
    set({ taskFilter });
  },

  async refreshAfterImport(result) {
    await get().loadBenchmarks();
    const { benchmarks, openBenchmarkId } = get();
    if (!benchmarks) return;
    if (openBenchmarkId === null || !benchmarks.some((b) => b.id === openBenchmarkId)) {
      const imported = result.splits[0]?.benchmark;
      const target = benchmarks.find((b) => b.name === imported) ?? benchmarks[0];
      if (target) await get().openBenchmark(target.id);
      return;
    }
    await get().reloadTasks();
    const { tasks, openTaskId } = get();
    if (openTaskId === null) return;
    const task = tasks?.find((t) => t.id === openTaskId);
    if (!task) {
      set({ openTaskId: null, taskCursor: null });
      useItems.getState().close();
      useTaskDetail.getState().close();
      return;
    }
    // Any import may add instruction variants (a definitions file) or replace the task's files.
    void useTaskDetail.getState().reload();
    const touched = result.splits.some((s) => s.changed && s.benchmark === task.benchmark && s.task === task.name);
    // Re-importing the open task may renumber its items; the loaded pages would be stale.
    if (touched) useItems.getState().open(task);
  },
}));
