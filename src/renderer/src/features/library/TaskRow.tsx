import type { CSSProperties } from 'react';
import type { TaskSummary } from '../../../../shared/domain';
import { formatCount } from '../../lib/format';

interface TaskRowProps {
  task: TaskSummary;
  position: number;
  setSize: number;
  selected: boolean;
  open: boolean;
  style: CSSProperties;
  onOpen: () => void;
}

function splitLabel(config: string, split: string): string {
  // 'default' is the only config of most benchmarks; naming it adds noise.
  return config === 'default' ? split : `${config} ${split}`;
}

export function TaskRow({ task, position, setSize, selected, open, style, onOpen }: TaskRowProps) {
  const splits = task.splits.map((s) => `${splitLabel(s.config, s.split)} ${formatCount(s.itemCount)}`).join(' · ');
  return (
    <div
      id={`task-${task.id}`}
      data-testid="task-row"
      role="option"
      aria-selected={selected}
      aria-posinset={position}
      aria-setsize={setSize}
      className={open ? 'row open' : 'row'}
      style={style}
      onClick={onOpen}
    >
      <div className="row-line">
        <span className="row-title" title={task.name}>
          {task.name}
        </span>
        <span className="row-count" title={`${formatCount(task.itemCount)} items`}>
          {formatCount(task.itemCount)}
        </span>
      </div>
      <div className="row-sub" title={splits}>
        {task.category && <span className="category">{task.category}</span>}
        {task.category && splits && ' · '}
        {splits}
      </div>
    </div>
  );
}
