import { useItemView } from '../store/itemView';
import { ErrorNote } from './ErrorNote';
import { ItemView } from './ItemView';
import { Pane } from './Pane';

export function ItemPane() {
  const itemId = useItemView((s) => s.itemId);
  const item = useItemView((s) => s.item);
  const loading = useItemView((s) => s.loading);
  const error = useItemView((s) => s.error);
  const open = useItemView.getState().open;

  let body;
  if (itemId === null) body = <p className="pane-note">Select an item and press Enter (or click it) to view it here.</p>;
  else if (error) body = <ErrorNote error={error} onRetry={() => void open(itemId)} />;
  else if (loading || !item) body = <p className="pane-note">Loading…</p>;
  else body = <ItemView item={item} />;

  return (
    <Pane title={item ? `Item #${item.index}` : 'Item'} label="Item" className="item-pane">
      {body}
    </Pane>
  );
}
