import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { listKeyHandler } from '../lib/listKeys';
import { hasMore, useItems } from '../store/items';
import { useItemView } from '../store/itemView';
import { ErrorNote } from './ErrorNote';
import { ItemRow } from './ItemRow';

const ROW_HEIGHT = 44;
/** Start fetching the next page while this many loaded rows are still below the viewport. */
const PREFETCH_ROWS = 40;

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

  const more = hasMore({ total, nextCursor });
  const scrollRef = useRef<HTMLDivElement>(null);
  // One extra row at the end carries the "Loading…" or error text of the next page.
  const footer = more || error !== null;
  const virtualizer = useVirtualizer({
    count: items.length + (footer ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // React 19 warns about flushSync during render; async updates are smooth enough here.
    useFlushSync: false,
  });
  const virtualRows = virtualizer.getVirtualItems();
  const lastVisible = virtualRows.at(-1)?.index ?? -1;

  useEffect(() => {
    if (more && !loading && error === null && lastVisible >= items.length - PREFETCH_ROWS) void loadMore();
  }, [more, loading, error, lastVisible, items.length, loadMore]);

  useEffect(() => {
    if (cursor !== null) virtualizer.scrollToIndex(cursor, { align: 'auto' });
  }, [cursor, virtualizer]);

  const pageSize = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);
  const onKeyDown = listKeyHandler({ count: items.length, index: cursor, pageSize, onMove: select, onOpen: openItem });
  const active = cursor !== null ? items[cursor] : undefined;

  if (total === 0) return <p className="pane-note">No items in this selection.</p>;

  return (
    <div
      ref={scrollRef}
      id="item-list"
      data-testid="item-list"
      className="list item-list"
      role="listbox"
      aria-label="Items"
      aria-busy={loading}
      tabIndex={0}
      aria-activedescendant={active ? `item-${active.id}` : undefined}
      onKeyDown={onKeyDown}
    >
      <div className="virtual-space" style={{ height: virtualizer.getTotalSize() }} role="presentation">
        {virtualRows.map((row) => {
          const style = { transform: `translateY(${row.start}px)`, height: row.size };
          const item = items[row.index];
          if (!item) {
            return (
              <div key="footer" className="list-footer" style={style} role="presentation">
                {error ? <ErrorNote error={error} onRetry={() => void loadMore()} /> : 'Loading…'}
              </div>
            );
          }
          return (
            <ItemRow
              key={item.id}
              item={item}
              position={row.index + 1}
              setSize={total ?? items.length}
              selected={row.index === cursor}
              open={item.id === openItemId}
              showSplit={view === null}
              style={style}
              onOpen={() => openItem(row.index)}
            />
          );
        })}
      </div>
    </div>
  );
}
