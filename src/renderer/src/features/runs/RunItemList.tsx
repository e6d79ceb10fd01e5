import { useState, type FormEvent } from 'react';
import type React from 'react';
import type { RunItemRow } from '../../../../shared/runs';
import { formatCount } from '../../lib/format';
import { formatMs } from './runFormat';
import { hasMoreRunItems, useRunItems, type ItemShow } from './runItemsStore';
import { VirtualList } from '../../ui/VirtualList';

const ROW_HEIGHT = 44;

export const RUN_ITEMS_ID = 'run-items';

function oneLine(text: string | null): string {
  return text === null ? '' : text.replace(/\s+/g, ' ').trim();
}

const SHOW_LABELS: Record<ItemShow, string> = { all: 'All items', right: 'Right', wrong: 'Wrong', errors: 'Failed', truncated: 'Cut to fit' };

/** What the item list shows: right/wrong by the item's primary metric, failed, cut to fit, and search words (the engine filters the whole run). */
export function RunItemFilterBar() {
  const show = useRunItems((s) => s.show);
  const search = useRunItems((s) => s.search);
  const total = useRunItems((s) => s.total);
  const { setFilter } = useRunItems.getState();
  const [text, setText] = useState(search);
  const [lastSearch, setLastSearch] = useState(search);
  // A newly opened run clears the search: the box follows.
  if (search !== lastSearch) {
    setLastSearch(search);
    setText(search);
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setFilter({ search: text });
  };
  return (
    <form className="run-item-filters" role="search" aria-label="Filter the run's items" onSubmit={submit}>
      <label>
        Show{' '}
        <select value={show} onChange={(e) => setFilter({ show: e.target.value as ItemShow })} data-testid="run-items-show">
          {(Object.keys(SHOW_LABELS) as ItemShow[]).map((k) => (
            <option key={k} value={k}>
              {SHOW_LABELS[k]}
            </option>
          ))}
        </select>
      </label>
      <input
        type="search"
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder="Search input, gold, output…"
        aria-label="Search the run's items"
        data-testid="run-items-search"
      />
      <button type="submit" className="button">
        Filter
      </button>
      {(show !== 'all' || search.trim()) && total !== null ? (
        <span className="muted" data-testid="run-items-matching" role="status">
          {formatCount(total)} matching
        </span>
      ) : null}
    </form>
  );
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

  const filtered = useRunItems((s) => s.show !== 'all' || s.search.trim() !== '');
  if (total === 0) return <p className="pane-note">{filtered ? 'No items match the filter.' : 'This run has no items.'}</p>;

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

/** The item's own primary-metric value: ✓/✗ when it is all or nothing, else the value with its unit. */
function ItemScoreBadge({ item }: { item: RunItemRow }) {
  const score = item.score;
  if (!score) return null;
  if (score.value === null) {
    return (
      <span className="run-item-score muted" data-testid="run-item-score" title={`${score.displayName}: skipped by the benchmark for this item`}>
        skipped
      </span>
    );
  }
  const full = score.value === score.scale;
  const none = score.value === 0;
  const shown = score.scale === 100 ? `${score.value.toFixed(1)}%` : score.value.toFixed(3);
  const label = `${score.displayName} ${shown}${score.scale === 100 ? '' : ' (fraction)'}`;
  return (
    <span
      className={`run-item-score${full ? ' score-right' : none ? ' score-wrong' : ''}`}
      data-testid="run-item-score"
      data-value={score.value}
      title={label}
      aria-label={label}
    >
      {full ? '✓' : none ? '✗' : shown}
    </span>
  );
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
          {item.status === 'error' ? (
            <span className="run-errors">{oneLine(item.error)}</span>
          ) : item.status === 'pending' ? (
            <span className="muted">pending</span>
          ) : (
            oneLine(item.rawOutput)
          )}
        </span>
        <ItemScoreBadge item={item} />
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
