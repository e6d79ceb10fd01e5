import { useItemView } from './itemViewStore';
import { ErrorNote } from '../../ui/ErrorNote';
import { ItemView } from './ItemView';

/** The open item, as the Item tab of the details pane shows it. */
export function ItemBody() {
  const itemId = useItemView((s) => s.itemId);
  const item = useItemView((s) => s.item);
  const loading = useItemView((s) => s.loading);
  const error = useItemView((s) => s.error);
  const open = useItemView.getState().open;

  if (itemId === null) return <p className="pane-note">Select an item and press Enter (or click it) to view it here.</p>;
  if (error) return <ErrorNote error={error} onRetry={() => void open(itemId)} />;
  if (loading || !item) return <p className="pane-note">Loading…</p>;
  return <ItemView item={item} />;
}
