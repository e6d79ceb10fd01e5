import type { KeyboardEvent } from 'react';
import { useItemView } from './itemViewStore';
import { useLibrary } from './libraryStore';
import { useTaskDetail, type DetailTab } from './taskDetailStore';
import { ErrorNote } from '../../ui/ErrorNote';
import { ItemBody } from './ItemPane';
import { Pane } from '../../ui/Pane';
import { TaskDetailView } from './TaskDetailView';

const TABS: { tab: DetailTab; label: string }[] = [
  { tab: 'task', label: 'Task' },
  { tab: 'item', label: 'Item' },
];

function TaskBody() {
  const taskId = useTaskDetail((s) => s.taskId);
  const detail = useTaskDetail((s) => s.detail);
  const loading = useTaskDetail((s) => s.loading);
  const error = useTaskDetail((s) => s.error);
  const reload = useTaskDetail.getState().reload;

  if (taskId === null) return <p className="pane-note">Open a task to see its definition, metrics, examples and source files.</p>;
  if (error) return <ErrorNote error={error} onRetry={() => void reload()} testId="task-detail-error" />;
  if (loading && !detail) return <p className="pane-note">Loading…</p>;
  if (!detail) return null;
  return <TaskDetailView task={detail} />;
}

/** The Library's right-hand pane: the open task's details, or the open item. */
export function DetailPane() {
  const tab = useTaskDetail((s) => s.tab);
  const taskName = useLibrary((s) => s.tasks?.find((t) => t.id === s.openTaskId)?.name ?? null);
  const item = useItemView((s) => s.item);
  const setTab = useTaskDetail.getState().setTab;

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    event.preventDefault();
    const next = tab === 'task' ? 'item' : 'task';
    setTab(next);
    document.getElementById(`detail-tab-${next}`)?.focus();
  };

  const title = tab === 'item' ? (item ? `Item #${item.index}` : 'Item') : (taskName ?? 'Task');
  return (
    <Pane
      title={title}
      label="Details"
      className="item-pane detail-pane"
      actions={
        <div className="detail-tabs" role="tablist" aria-label="Show" onKeyDown={onKeyDown}>
          {TABS.map((t) => (
            <button
              key={t.tab}
              id={`detail-tab-${t.tab}`}
              type="button"
              role="tab"
              className="detail-tab"
              data-testid={`detail-tab-${t.tab}`}
              aria-selected={tab === t.tab}
              aria-controls="detail-panel"
              tabIndex={tab === t.tab ? 0 : -1}
              onClick={() => setTab(t.tab)}
            >
              {t.label}
            </button>
          ))}
        </div>
      }
    >
      <div id="detail-panel" role="tabpanel" aria-labelledby={`detail-tab-${tab}`} className="detail-panel">
        {tab === 'task' ? <TaskBody /> : <ItemBody />}
      </div>
    </Pane>
  );
}
