import type React from 'react';
import type { RunItemRow } from '../../../../shared/runs';
import { formatCount } from '../../lib/format';
import { formatMs } from './runFormat';
import { hasMoreRunItems, useRunItems } from './runItemsStore';
import { VirtualList } from '../../ui/VirtualList';

const ROW_HEIGHT = 44;

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

  if (total === 0) return <p className="pane-note">This run has no items.</p>;

  const active = cursor !== null ? items[cursor] : undefined;
  return (
    <VirtualList
      id={RUN_ITEMS_ID}
      testId="run-items"
      className="list item-list run-item-list"
      label="Run items"
      rows={items}
      rowHeight={ROW_HEIGHT}
      cursor={cursor}
      activeId={active ? `run-item-${active.ord}` : undefined}
      busy={loading}
      paging={{ more: hasMoreRunItems({ total, nextCursor }), loading, error, loadMore }}
      onMove={openItem}
      onOpen={openItem}
      renderRow={(item, index, style) => {
        return (
          <RunItemLine
            key={item.ord}
            item={item}
            position={index + 1}
            setSize={total ?? items.length}
            selected={index === cursor}
            open={item.ord === openOrd}
            style={style}
            onOpen={() => openItem(index)}
          />
        );
      }}
    />
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
