import type { TaskSummary } from '../../../../shared/domain';
import { focusById } from '../../lib/listKeys';
import { useLibrary } from './libraryStore';
import { useSearch } from '../search/searchStore';
import { ErrorNote } from '../../ui/ErrorNote';
import { TaskRow } from './TaskRow';
import { VirtualList } from '../../ui/VirtualList';

/** Two lines of text and the row's padding; the virtualizer places rows at this pitch. */
const ROW_HEIGHT = 40;

function matches(task: TaskSummary, filter: string): boolean {
  if (!filter) return true;
  const needle = filter.toLowerCase();
  return task.name.toLowerCase().includes(needle) || (task.category?.toLowerCase().includes(needle) ?? false);
}

export function TaskList() {
  const openBenchmarkId = useLibrary((s) => s.openBenchmarkId);
  const tasks = useLibrary((s) => s.tasks);
  const loading = useLibrary((s) => s.tasksLoading);
  const error = useLibrary((s) => s.tasksError);
  const cursor = useLibrary((s) => s.taskCursor);
  const openId = useLibrary((s) => s.openTaskId);
  const filter = useLibrary((s) => s.taskFilter);
  const { selectTask, reloadTasks, setTaskFilter } = useLibrary.getState();
  // Choosing a task here asks for its items, which search results would hide: leave the search.
  const openTask = (id: number) => {
    useSearch.getState().clear();
    useLibrary.getState().openTask(id);
  };

  if (openBenchmarkId === null) return <p className="pane-note">Open a benchmark to list its tasks.</p>;

  const visible = (tasks ?? []).filter((t) => matches(t, filter.trim()));
  const index = visible.findIndex((t) => t.id === cursor);

  return (
    <>
      {(tasks?.length ?? 0) > 8 && (
        <input
          className="filter"
          type="search"
          placeholder="Filter tasks"
          aria-label="Filter tasks by name or category"
          value={filter}
          onChange={(e) => setTaskFilter(e.target.value)}
        />
      )}
      {error && <ErrorNote error={error} onRetry={() => void reloadTasks()} />}
      {tasks === null && loading && <p className="pane-note">Loading…</p>}
      {tasks !== null && visible.length === 0 && (
        <p className="pane-note">{tasks.length === 0 ? 'This benchmark has no tasks.' : 'No task matches the filter.'}</p>
      )}
      <VirtualList
        id="task-list"
        testId="task-list"
        className="list task-list"
        label="Tasks"
        rows={visible}
        rowHeight={ROW_HEIGHT}
        cursor={index === -1 ? null : index}
        activeId={index !== -1 ? `task-${cursor}` : undefined}
        onMove={(i) => {
          const t = visible[i];
          if (t) selectTask(t.id);
        }}
        onOpen={(i) => {
          const t = visible[i];
          if (!t) return;
          openTask(t.id);
          focusById('item-list');
        }}
        renderRow={(t, i, style) => (
          <TaskRow
            key={t.id}
            task={t}
            position={i + 1}
            setSize={visible.length}
            selected={t.id === cursor}
            open={t.id === openId}
            style={style}
            onOpen={() => openTask(t.id)}
          />
        )}
      />
    </>
  );
}
