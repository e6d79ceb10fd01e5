import { useState, type FormEvent } from 'react';
import type React from 'react';
import type { RunItemRow } from '../../../../shared/runs';
import { formatCount } from '../../lib/format';
import { formatMs } from './runFormat';
import { hasMoreRunItems, isFiltered, useRunItems, type ItemShow } from './runItemsStore';
import { VirtualList } from '../../ui/VirtualList';

const ROW_HEIGHT = 44;

export const RUN_ITEMS_ID = 'run-items';

function oneLine(text: string | null): string {
  return text === null ? '' : text.replace(/\s+/g, ' ').trim();
}

const SHOW_LABELS: Record<ItemShow, string> = { all: 'All items', right: 'Right', wrong: 'Wrong', errors: 'Failed', truncated: 'Cut to fit' };

/** A typed bound of the metric range: '' none, else a number (null: not a number). */
function bound(text: string): number | undefined | null {
  const t = text.trim();
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/**
 * What the item list shows: right/wrong by the item's primary metric, failed, cut to fit, a gold
 * label, a metric range and search words, in run order or sorted by a metric (the engine filters
 * and sorts the whole run).
 */
export function RunItemFilterBar() {
  const show = useRunItems((s) => s.show);
  const search = useRunItems((s) => s.search);
  const gold = useRunItems((s) => s.gold);
  const metric = useRunItems((s) => s.metric);
  const sort = useRunItems((s) => s.sort);
  const facets = useRunItems((s) => s.facets);
  const total = useRunItems((s) => s.total);
  const filtered = useRunItems((s) => isFiltered(s));
  const { setFilter } = useRunItems.getState();
  const [text, setText] = useState(search);
  const [lastSearch, setLastSearch] = useState(search);
  const [rangeId, setRangeId] = useState(metric?.id ?? '');
  const [min, setMin] = useState(metric?.min !== undefined ? String(metric.min) : '');
  const [max, setMax] = useState(metric?.max !== undefined ? String(metric.max) : '');
  const [lastMetric, setLastMetric] = useState(metric);
  // A newly opened run clears the search and the range: the boxes follow.
  if (search !== lastSearch) {
    setLastSearch(search);
    setText(search);
  }
  if (metric !== lastMetric) {
    setLastMetric(metric);
    setRangeId(metric?.id ?? '');
    setMin(metric?.min !== undefined ? String(metric.min) : '');
    setMax(metric?.max !== undefined ? String(metric.max) : '');
  }
  const metrics = facets?.metrics ?? [];
  const rangeMetric = metrics.find((m) => m.id === rangeId);
  const lo = bound(min);
  const hi = bound(max);
  const rangeError =
    lo === null || hi === null ? 'Enter a number.' : lo !== undefined && hi !== undefined && lo > hi ? 'The lower bound is above the upper.' : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (rangeError) return;
    const range =
      rangeId !== '' && (lo !== undefined || hi !== undefined)
        ? { id: rangeId, ...(typeof lo === 'number' ? { min: lo } : {}), ...(typeof hi === 'number' ? { max: hi } : {}) }
        : null;
    setFilter({ search: text, metric: range });
  };
  const sortValue = sort ? `${sort.dir}:${sort.metric}` : '';
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
      {facets?.goldLabels && (
        <label>
          Gold{' '}
          <select value={gold ?? ''} onChange={(e) => setFilter({ gold: e.target.value === '' ? null : e.target.value })} data-testid="run-items-gold">
            <option value="">any label</option>
            {facets.goldLabels.map((l) => (
              <option key={l.label} value={l.label}>
                {l.label} ({formatCount(l.count)})
              </option>
            ))}
          </select>
        </label>
      )}
      <input
        type="search"
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder="Search input, gold, output…"
        aria-label="Search the run's items"
        data-testid="run-items-search"
      />
      {metrics.length > 0 && (
        <span className="run-item-range" role="group" aria-label="Metric range">
          <select value={rangeId} onChange={(e) => setRangeId(e.target.value)} aria-label="Metric to bound" data-testid="run-items-range-metric">
            <option value="">metric range…</option>
            {metrics.map((m) => (
              <option key={m.id} value={m.id}>
                {m.displayName}
              </option>
            ))}
          </select>
          {rangeId !== '' && (
            <>
              <input
                className="range-bound"
                inputMode="decimal"
                value={min}
                onChange={(e) => setMin(e.target.value)}
                placeholder="min"
                aria-label={`Lowest ${rangeMetric?.displayName ?? 'value'}`}
                aria-invalid={lo === null || undefined}
                data-testid="run-items-range-min"
              />
              <span aria-hidden="true">–</span>
              <input
                className="range-bound"
                inputMode="decimal"
                value={max}
                onChange={(e) => setMax(e.target.value)}
                placeholder="max"
                aria-label={`Highest ${rangeMetric?.displayName ?? 'value'}`}
                aria-invalid={hi === null || undefined}
                data-testid="run-items-range-max"
              />
              <span className="muted">{rangeMetric?.scale === 100 ? '%' : '0–1'}</span>
            </>
          )}
        </span>
      )}
      <button type="submit" className="button">
        Filter
      </button>
      {metrics.length > 0 && (
        <label>
          Sort{' '}
          <select
            value={sortValue}
            onChange={(e) => {
              const [dir, id] = e.target.value.split(/:(.*)/s) as [string, string | undefined];
              setFilter({ sort: id ? { metric: id, dir: dir === 'asc' ? 'asc' : 'desc' } : null });
            }}
            data-testid="run-items-sort"
          >
            <option value="">run order</option>
            {metrics.flatMap((m) => [
              <option key={`desc:${m.id}`} value={`desc:${m.id}`}>
                {m.displayName}, high first
              </option>,
              <option key={`asc:${m.id}`} value={`asc:${m.id}`}>
                {m.displayName}, low first
              </option>,
            ])}
          </select>
        </label>
      )}
      {rangeError && (
        <span className="field-error" role="alert">
          {rangeError}
        </span>
      )}
      {filtered && total !== null ? (
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

  const filtered = useRunItems((s) => isFiltered(s));
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
