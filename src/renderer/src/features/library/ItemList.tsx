import { hasMore, useItems } from './itemsStore';
import { useItemView } from './itemViewStore';
import { ItemRow } from './ItemRow';
import { VirtualList } from '../../ui/VirtualList';

const ROW_HEIGHT = 44;

export function ItemList() {
  const items = useItems((s) => s.items);
  const total = useItems((s) => s.total);
  const nextCursor = useItems((s) => s.nextCursor);
  const loading = useItems((s) => s.loading);
  const error = useItems((s) => s.error);
  const cursor = useItems((s) => s.cursor);
  const view = useItems((s) => s.view);
  const openItemId = useItemView((s) => s.itemId);
  const { select, openItem, loadMore } = useItems.getState();

  if (total === 0) return <p className="pane-note">No items in this selection.</p>;

  const active = cursor !== null ? items[cursor] : undefined;
  return (
    <VirtualList
      id="item-list"
      testId="item-list"
      className="list item-list"
      label="Items"
      rows={items}
      rowHeight={ROW_HEIGHT}
      cursor={cursor}
      activeId={active ? `item-${active.id}` : undefined}
      busy={loading}
      paging={{ more: hasMore({ total, nextCursor }), loading, error, loadMore }}
      onMove={select}
      onOpen={openItem}
      renderRow={(item, index, style) => {
        return (
          <ItemRow
            key={item.id}
            item={item}
            position={index + 1}
            setSize={total ?? items.length}
            selected={index === cursor}
            open={item.id === openItemId}
            showSplit={view === null}
            style={style}
            onOpen={() => openItem(index)}
          />
        );
      }}
    />
  );
}
