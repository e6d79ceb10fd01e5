/**
 * The aligned rows: one per item — the input's first lines, the gold, then each run's extracted
 * answer with its primary-metric value and delta to the baseline. Virtualized (VirtualList), so
 * 10,000 items × 8 runs scroll without rendering more than the rows in view.
 */
import { memo, type CSSProperties } from 'react';
import { rowDelta, rowRight, type CompareResult, type CompareRow } from '../../../../shared/compare';
import { VirtualList } from '../../ui/VirtualList';
import { formatDelta, formatMetric, metricHeading, metricShortName } from './compareFormat';
import { useCompare } from './compareStore';

export const COMPARE_LIST_ID = 'compare-rows';
const ROW_HEIGHT = 64;

const rowId = (i: number) => `compare-row-${i}`;

export function gridColumns(runs: number): string {
  return `minmax(220px, 2fr) minmax(90px, 1fr) repeat(${runs}, minmax(110px, 1fr))`;
}

interface RowProps {
  result: CompareResult;
  row: CompareRow;
  index: number;
  /** Where the virtualizer placed it (strings and numbers, not a style object, so an unchanged row skips rendering). */
  transform: string;
  height: number;
  columns: string;
  selected: boolean;
  open: boolean;
  threshold: number;
}

/**
 * One aligned item. Memoised: while scrolling, the virtualizer re-renders its window every frame,
 * and only rows entering it (or whose cursor/open state changed) are built again.
 */
const CompareRowView = memo(function CompareRowView({ result, row, index, transform, height, columns, selected, open, threshold }: RowProps) {
  const g = result.groups[row.group]!;
  const m = g.metrics[g.primary];
  const name = m ? metricShortName(m) : '';
  return (
    <div
      id={rowId(index)}
      role="option"
      aria-selected={selected}
      data-testid="compare-row"
      data-key={row.key}
      className={`row compare-row${open ? ' open' : ''}`}
      style={{ transform, height, gridTemplateColumns: columns }}
      onClick={() => {
        const { move, open: openRow } = useCompare.getState();
        move(index);
        void openRow(index);
      }}
    >
      <div className="compare-cell compare-input prose">
        <span className="compare-key">{row.key.split('/').slice(1).join('/')}</span> {row.input}
        {row.inputLength > row.input.length && <span className="muted"> … ({row.inputLength - row.input.length} more characters)</span>}
      </div>
      <div className="compare-cell compare-gold prose">{row.gold}</div>
      {result.runs.map((run, r) => {
        const v = m ? row.values[r]?.[g.primary] : null;
        const right = rowRight(result, row, r, threshold);
        const delta = r === result.baseline ? null : rowDelta(result, row, r, result.baseline);
        const value = m ? formatMetric(v, m.scale) : '';
        const shownDelta = delta !== null && delta !== 0 && m ? formatDelta(delta, m.scale) : '';
        // The value's metric is named in the column heading; the tooltip and screen readers get it per cell.
        const title = m
          ? `Run ${r + 1} (${run.name}): ${name} ${value}${right === true ? ', right' : right === false ? ', wrong' : ''}${shownDelta ? `, ${shownDelta} vs baseline` : ''}`
          : undefined;
        return (
          <div
            key={r}
            className={`compare-cell compare-answer${right === true ? ' right' : right === false ? ' wrong' : ''}`}
            data-testid={`compare-cell-${r + 1}`}
          >
            <span className="compare-answer-text prose">{row.errors[r] ? '(failed)' : row.answers[r]}</span>
            <span className="compare-metric" title={title} data-testid="compare-cell-metric">
              {right === true ? '✓ ' : right === false ? '✗ ' : ''}
              {m && <span className="visually-hidden">{name} </span>}
              {value}
              {shownDelta && <span className={delta! > 0 ? 'delta up' : 'delta down'}> {shownDelta}</span>}
            </span>
          </div>
        );
      })}
    </div>
  );
});

/** The heading over the run columns: the primary metric and its unit when every task shares one, else "each task's primary metric". */
function primaryHeading(result: CompareResult): string {
  const names = new Set(result.groups.map((g) => (g.metrics[g.primary] ? metricHeading(g.metrics[g.primary]!) : '')));
  return names.size === 1 ? [...names][0]! : "each task's primary metric";
}

export function CompareRows() {
  const result = useCompare((s) => s.result);
  const partial = useCompare((s) => s.partial);
  const order = useCompare((s) => s.order);
  const cursor = useCompare((s) => s.cursor);
  const openKey = useCompare((s) => s.openKey);
  const threshold = useCompare((s) => s.filter.threshold);
  const loading = useCompare((s) => s.loading);
  const { move, open } = useCompare.getState();
  if (!result) return null;
  const rows = order.map((i) => result.rows[i]!);
  const columns = gridColumns(result.runs.length);
  const heading = primaryHeading(result);

  const renderRow = (row: CompareRow, index: number, style: CSSProperties) => (
    <CompareRowView
      key={row.key}
      result={result}
      row={row}
      index={index}
      transform={String(style.transform)}
      height={Number(style.height ?? ROW_HEIGHT)}
      columns={columns}
      selected={index === cursor}
      open={row.key === openKey}
      threshold={threshold}
    />
  );

  return (
    <>
      <div className="compare-header-row" style={{ gridTemplateColumns: columns }} aria-hidden="true">
        <span>Input</span>
        <span>Gold</span>
        {result.runs.map((r, i) => (
          <span key={r.id} title={`${r.name} (${r.modelLabel}); values: ${heading}`}>
            {i + 1} · {r.name}
            {i === result.baseline ? ' (baseline)' : ''}
            <span className="compare-header-metric" data-testid="compare-header-metric">
              {heading}
            </span>
          </span>
        ))}
      </div>
      {rows.length === 0 ? (
        <p className="pane-note" data-testid="compare-no-rows">
          No item passes these filters.
        </p>
      ) : (
        <VirtualList
          id={COMPARE_LIST_ID}
          testId="compare-rows"
          className="list compare-list"
          label="Compared items (j/k move, Enter opens, d diff)"
          rows={rows}
          rowHeight={ROW_HEIGHT}
          cursor={cursor}
          activeId={cursor !== null ? rowId(cursor) : undefined}
          busy={loading}
          paging={partial ? FIRST_ROWS_PAGING : undefined}
          onMove={move}
          onOpen={(i) => void open(i)}
          renderRow={renderRow}
        />
      )}
    </>
  );
}

/** While only the first rows are here, the list ends in a "Loading…" row; the rest comes by itself (compareStore). */
const FIRST_ROWS_PAGING = { more: true, loading: true, error: null, loadMore: () => Promise.resolve() } as const;
