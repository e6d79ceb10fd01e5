import type React from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { RunItemRow } from '../../../shared/runs';
import { formatCount } from '../lib/format';
import { listKeyHandler } from '../lib/listKeys';
import { formatMs } from '../lib/runFormat';
import { hasMoreRunItems, useRunItems } from '../store/runItems';
import { ErrorNote } from './ErrorNote';

const ROW_HEIGHT = 44;
const PREFETCH_ROWS = 40;

export const RUN_ITEMS_ID = 'run-items';

function oneLine(text: string | null): string {
  return text === null ? '' : text.replace(/\s+/g, ' ').trim();
}

/** The items of the open run, paged by keyset as the list scrolls. */
export function RunItemList() {
  const items = useRunItems((s) => s.items);
  const total = useRunItems((s) => s.total);
  const nextCursor = useRunItems((s) => s.nextCursor);
  const loading = useRunItems((s) => s.loading);
  const error = useRunItems((s) => s.error);
  const cursor = useRunItems((s) => s.cursor);
  const openOrd = useRunItems((s) => s.openOrd);
  const { openItem, loadMore } = useRunItems.getState();

  const more = hasMoreRunItems({ total, nextCursor });
  const scrollRef = useRef<HTMLDivElement>(null);
  const footer = more || error !== null;
  const virtualizer = useVirtualizer({
    count: items.length + (footer ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
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
  const onKeyDown = listKeyHandler({ count: items.length, index: cursor, pageSize, onMove: openItem, onOpen: openItem });
  const active = cursor !== null ? items[cursor] : undefined;

  if (total === 0) return <p className="pane-note">This run has no items.</p>;

  return (
    <div
      ref={scrollRef}
      id={RUN_ITEMS_ID}
      data-testid="run-items"
      className="list item-list run-item-list"
      role="listbox"
      aria-label="Run items"
      aria-busy={loading}
      tabIndex={0}
      aria-activedescendant={active ? `run-item-${active.ord}` : undefined}
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
            <RunItemLine
              key={item.ord}
              item={item}
              position={row.index + 1}
              setSize={total ?? items.length}
              selected={row.index === cursor}
              open={item.ord === openOrd}
              style={style}
              onOpen={() => openItem(row.index)}
            />
          );
        })}
      </div>
    </div>
  );
}

interface RunItemLineProps {
  item: RunItemRow;
  position: number;
  setSize: number;
  selected: boolean;
  open: boolean;
  style: React.CSSProperties;
  onOpen: () => void;
}

function RunItemLine({ item, position, setSize, selected, open, style, onOpen }: RunItemLineProps) {
  const tokens = item.promptTokens !== null || item.outputTokens !== null ? `${item.promptTokens ?? '—'}→${item.outputTokens ?? '—'} tok` : null;
  return (
    <div
      id={`run-item-${item.ord}`}
      data-testid="run-item"
      data-status={item.status}
      role="option"
      aria-selected={selected}
      aria-posinset={position}
      aria-setsize={setSize}
      className={`row item-row run-item item-${item.status}${open ? ' open' : ''}`}
      style={style}
      onClick={onOpen}
    >
      <div className="row-line">
        <span className="item-index">#{item.index ?? item.ord}</span>
        <span className="run-item-task" title={`${item.benchmark}/${item.task}`}>
          {item.task}
        </span>
        <span className="run-item-output" data-testid="run-item-output-line" title={item.rawOutput ?? undefined}>
          {item.status === 'error' ? <span className="run-errors">{oneLine(item.error)}</span> : item.status === 'pending' ? <span className="muted">pending</span> : oneLine(item.rawOutput)}
        </span>
        {tokens && <span className="row-count">{tokens}</span>}
        {item.latencyMs !== null && <span className="row-count">{formatMs(item.latencyMs)}</span>}
      </div>
      <div className="row-sub item-gold">
        <span className="gold-arrow" aria-hidden="true">
          →
        </span>{' '}
        <span title="gold">{oneLine(item.gold[0] ?? '')}</span>
        {item.gold.length > 1 && <span className="muted"> (+{formatCount(item.gold.length - 1)})</span>}
        {item.extracted !== null && (
          <>
            <span className="muted"> · extracted </span>
            <span data-testid="run-item-extracted-line">{oneLine(item.extracted)}</span>
          </>
        )}
      </div>
    </div>
  );
}
