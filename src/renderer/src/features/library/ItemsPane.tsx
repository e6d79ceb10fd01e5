import { formatCount } from '../../lib/format';
import { useItems } from './itemsStore';
import { ItemList } from './ItemList';
import { Pane } from '../../ui/Pane';
import { SplitSelector } from './SplitSelector';

export function ItemsPane() {
  const task = useItems((s) => s.task);
  const view = useItems((s) => s.view);
  const total = useItems((s) => s.total);
  const loaded = useItems((s) => s.items.length);
  const setView = useItems.getState().setView;

  const count = total === null ? null : loaded < total ? `${formatCount(loaded)} of ${formatCount(total)}` : formatCount(total);

  return (
    <Pane
      title={task ? task.name : 'Items'}
      label="Items"
      className="items-pane"
      actions={
        task ? (
          <div className="pane-actions">
            <SplitSelector task={task} view={view} onChange={setView} />
            {count && <span className="pane-meta">{count}</span>}
          </div>
        ) : undefined
      }
    >
      {task ? <ItemList /> : <p className="pane-note">Open a task to list its items.</p>}
    </Pane>
  );
}
