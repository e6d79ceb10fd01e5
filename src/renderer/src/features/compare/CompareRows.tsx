/**
 * The aligned rows: one per item — the input's first lines, the gold, then each run's extracted
 * answer with its primary-metric value and delta to the baseline. Virtualized (VirtualList), so
 * 10,000 items × 8 runs scroll without rendering more than the rows in view.
 */
import type { CSSProperties } from 'react';
import { rowDelta, rowRight, type CompareRow } from '../../../../shared/compare';
import { VirtualList } from '../../ui/VirtualList';
import { formatDelta, formatMetric } from './compareFormat';
import { useCompare } from './compareStore';

export const COMPARE_LIST_ID = 'compare-rows';
const ROW_HEIGHT = 64;

const rowId = (i: number) => `compare-row-${i}`;

export function gridColumns(runs: number): string {
  return `minmax(220px, 2fr) minmax(90px, 1fr) repeat(${runs}, minmax(110px, 1fr))`;
}

export function CompareRows() {
  const result = useCompare((s) => s.result);
  const order = useCompare((s) => s.order);
  const cursor = useCompare((s) => s.cursor);
  const openKey = useCompare((s) => s.openKey);
  const threshold = useCompare((s) => s.filter.threshold);
  const loading = useCompare((s) => s.loading);
  const { move, open } = useCompare.getState();
  if (!result) return null;
  const rows = order.map((i) => result.rows[i]!);
  const columns = gridColumns(result.runs.length);

  const renderRow = (row: CompareRow, index: number, style: CSSProperties) => {
    const g = result.groups[row.group]!;
    const m = g.metrics[g.primary];
    const selected = index === cursor;
    return (
      <div
        key={row.key}
        id={rowId(index)}
        role="option"
        aria-selected={selected}
        data-testid="compare-row"
        data-key={row.key}
        className={`row compare-row${row.key === openKey ? ' open' : ''}`}
        style={{ ...style, gridTemplateColumns: columns }}
        onClick={() => {
          move(index);
          void open(index);
        }}
      >
        <div className="compare-cell compare-input prose">
          <span className="compare-key">{row.key.split('/').slice(1).join('/')}</span> {row.input}
          {row.inputLength > row.input.length && <span className="muted"> … ({row.inputLength - row.input.length} more characters)</span>}
        </div>
        <div className="compare-cell compare-gold prose">{row.gold}</div>
        {result.runs.map((_, r) => {
          const v = m ? row.values[r]?.[g.primary] : null;
          const right = rowRight(result, row, r, threshold);
          const delta = r === result.baseline ? null : rowDelta(result, row, r, result.baseline);
          return (
            <div
              key={r}
              className={`compare-cell compare-answer${right === true ? ' right' : right === false ? ' wrong' : ''}`}
              data-testid={`compare-cell-${r + 1}`}
            >
              <span className="compare-answer-text prose">{row.errors[r] ? '(failed)' : row.answers[r]}</span>
              <span className="compare-metric">
                {right === true ? '✓ ' : right === false ? '✗ ' : ''}
                {m ? formatMetric(v, m.scale) : ''}
                {delta !== null && delta !== 0 && m && <span className={delta > 0 ? 'delta up' : 'delta down'}> {formatDelta(delta, m.scale)}</span>}
              </span>
            </div>
          );
        })}
      </div>
    );
  };

  return (
    <>
      <div className="compare-header-row" style={{ gridTemplateColumns: columns }} aria-hidden="true">
        <span>Input</span>
        <span>Gold</span>
        {result.runs.map((r, i) => (
          <span key={r.id} title={`${r.name} (${r.modelLabel})`}>
            {i + 1} · {r.name}
            {i === result.baseline ? ' (baseline)' : ''}
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
          onMove={move}
          onOpen={(i) => void open(i)}
          renderRow={renderRow}
        />
      )}
    </>
  );
}
