import type { CSSProperties, ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { ApiErrorData } from '../../../shared/errors';
import { listKeyHandler } from '../lib/listKeys';
import { ErrorNote } from './ErrorNote';

/** Start fetching the next page while this many loaded rows are still below the viewport. */
const PREFETCH_ROWS = 40;

/** A list that loads its rows page by page as it scrolls. */
export interface VirtualListPaging {
  more: boolean;
  loading: boolean;
  error: ApiErrorData | null;
  loadMore(): Promise<void>;
}

interface VirtualListProps<T> {
  id: string;
  testId: string;
  className: string;
  label: string;
  /** The rows loaded so far. */
  rows: readonly T[];
  /** Every row has this height: the virtualizer places them absolutely. */
  rowHeight: number;
  /** The row with the keyboard cursor, or null. */
  cursor: number | null;
  /** The DOM id of the cursor's row, for aria-activedescendant. */
  activeId: string | undefined;
  busy?: boolean;
  paging?: VirtualListPaging;
  onMove(index: number): void;
  onOpen(index: number): void;
  /** One row, placed by `style`. */
  renderRow(row: T, index: number, style: CSSProperties): ReactNode;
}

/**
 * A keyboard-driven listbox that renders only the rows in view: arrows or j/k, PageUp/PageDown,
 * Home/End and Enter (see listKeyHandler), the cursor's row kept in view, and with `paging`
 * the next page fetched before the end is reached.
 */
export function VirtualList<T>({
  id,
  testId,
  className,
  label,
  rows,
  rowHeight,
  cursor,
  activeId,
  busy,
  paging,
  onMove,
  onOpen,
  renderRow,
}: VirtualListProps<T>) {
  const count = rows.length;
  const scrollRef = useRef<HTMLDivElement>(null);
  // One extra row at the end carries the "Loading…" or error text of the next page.
  const footer = paging !== undefined && (paging.more || paging.error !== null);
  // TanStack Virtual returns functions the React Compiler cannot memoize; this app does not use the compiler.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: count + (footer ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    // React 19 warns about flushSync during render; async updates are smooth enough here.
    useFlushSync: false,
  });
  const virtualRows = virtualizer.getVirtualItems();
  const lastVisible = virtualRows.at(-1)?.index ?? -1;

  const more = paging?.more ?? false;
  const loading = paging?.loading ?? false;
  const error = paging?.error ?? null;
  const loadMore = paging?.loadMore;
  useEffect(() => {
    if (loadMore && more && !loading && error === null && lastVisible >= count - PREFETCH_ROWS) void loadMore();
  }, [more, loading, error, lastVisible, count, loadMore]);

  useEffect(() => {
    if (cursor !== null) virtualizer.scrollToIndex(cursor, { align: 'auto' });
  }, [cursor, virtualizer]);

  const pageSize = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? rowHeight * 10) / rowHeight) - 1);
  const onKeyDown = listKeyHandler({ count, index: cursor, pageSize, onMove, onOpen });

  return (
    <div
      ref={scrollRef}
      id={id}
      data-testid={testId}
      className={className}
      role="listbox"
      aria-label={label}
      aria-busy={busy}
      tabIndex={0}
      aria-activedescendant={activeId}
      onKeyDown={onKeyDown}
    >
      <div className="virtual-space" style={{ height: virtualizer.getTotalSize() }} role="presentation">
        {virtualRows.map((row) => {
          const style = { transform: `translateY(${row.start}px)`, height: row.size };
          const item = rows[row.index];
          if (item === undefined) {
            return (
              <div key="footer" className="list-footer" style={style} role="presentation">
                {error ? <ErrorNote error={error} onRetry={() => void loadMore?.()} /> : 'Loading…'}
              </div>
            );
          }
          return renderRow(item, row.index, style);
        })}
      </div>
    </div>
  );
}
