import type { TaskSummary } from '../../../../shared/domain';
import { formatCount } from '../../lib/format';
import type { SplitView } from './itemsStore';

interface SplitSelectorProps {
  task: TaskSummary;
  view: SplitView | null;
  onChange: (view: SplitView | null) => void;
}

const ALL = 'all';

function key(view: SplitView): string {
  return `${view.config}/${view.split}`;
}

/** Shown only when a task has several config/split combinations to choose from. */
export function SplitSelector({ task, view, onChange }: SplitSelectorProps) {
  if (task.splits.length < 2) return null;
  return (
    <select
      className="split-select"
      data-testid="split-select"
      aria-label="Config and split"
      value={view ? key(view) : ALL}
      onChange={(e) => {
        const chosen = task.splits.find((s) => key(s) === e.target.value);
        onChange(chosen ? { config: chosen.config, split: chosen.split } : null);
      }}
    >
      {task.splits.map((s) => (
        <option key={key(s)} value={key(s)}>
          {s.config} · {s.split} ({formatCount(s.itemCount)})
        </option>
      ))}
      <option value={ALL}>All splits ({formatCount(task.itemCount)})</option>
    </select>
  );
}
