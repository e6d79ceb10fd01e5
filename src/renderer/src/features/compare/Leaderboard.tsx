/**
 * The leaderboard: every run with finished items × the tasks it ran, each cell the task's primary
 * metric with its 95% bootstrap interval (engine: `leaderboard`), MedS-Bench's category means,
 * sortable by any column and filterable by benchmark and category. A plain table, so every
 * number is readable by a screen reader; charts can be drawn from the same result later.
 */
import { useEffect, useState } from 'react';
import type { LeaderboardResult } from '../../../../shared/compare';
import { toErrorData, type ApiErrorData } from '../../../../shared/errors';
import { getClient } from '../../client/current';
import { ErrorNote } from '../../ui/ErrorNote';
import { formatMetric } from './compareFormat';

export function Leaderboard() {
  const [benchmark, setBenchmark] = useState('');
  const [category, setCategory] = useState('');
  const [board, setBoard] = useState<LeaderboardResult | null>(null);
  const [benchmarks, setBenchmarks] = useState<string[]>([]);
  const [error, setError] = useState<ApiErrorData | null>(null);
  const [sortKey, setSortKey] = useState<string | null>(null);
  const [desc, setDesc] = useState(true);

  useEffect(() => {
    let live = true;
    getClient()
      .leaderboard({ ...(benchmark ? { benchmark } : {}), ...(category ? { category } : {}) })
      .then((b) => {
        if (!live) return;
        setError(null);
        setBoard(b);
        if (!benchmark) setBenchmarks([...new Set(b.columns.map((c) => c.benchmark))]);
      })
      .catch((err: unknown) => live && setError(toErrorData(err)));
    return () => {
      live = false;
    };
  }, [benchmark, category]);

  if (error) return <ErrorNote error={error} />;
  if (!board) return <p className="pane-note">Loading the leaderboard…</p>;
  const entries = [...board.entries];
  if (sortKey) {
    const value = (e: (typeof entries)[number]) => e.cells[sortKey]?.estimate ?? e.categories[sortKey]?.mean ?? null;
    entries.sort((a, b) => {
      const x = value(a);
      const y = value(b);
      if (x === null || y === null) return x === null ? (y === null ? 0 : 1) : -1;
      return desc ? y - x : x - y;
    });
  }
  const categories = [...new Set(board.entries.flatMap((e) => Object.keys(e.categories)))];
  const sortButton = (key: string, label: string) => (
    <button
      type="button"
      className="link-button"
      onClick={() => {
        setDesc(sortKey === key ? !desc : true);
        setSortKey(key);
      }}
    >
      {label}
      {sortKey === key ? (desc ? ' ▼' : ' ▲') : ''}
    </button>
  );
  return (
    <section className="leaderboard" aria-label="Leaderboard" data-testid="leaderboard">
      <div className="compare-diff-bar">
        <label className="compare-field">
          Benchmark
          <select value={benchmark} onChange={(e) => setBenchmark(e.target.value)} data-testid="leaderboard-benchmark">
            <option value="">All</option>
            {benchmarks.map((b) => (
              <option key={b}>{b}</option>
            ))}
          </select>
        </label>
        <label className="compare-field">
          Category
          <select value={category} onChange={(e) => setCategory(e.target.value)}>
            <option value="">All</option>
            {board.categories.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
      </div>
      {board.entries.length === 0 ? (
        <p className="pane-note">No scored runs yet.</p>
      ) : (
        <table className="compare-stats-table leaderboard-table">
          <caption>
            Primary metric per task with its 95% bootstrap interval ({board.resamples} resamples, seed {board.seed}); MedS-Bench categories as the mean of their
            tasks.
          </caption>
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Configuration</th>
              {board.columns.map((c) => (
                <th
                  scope="col"
                  key={c.key}
                  aria-sort={sortKey === c.key ? (desc ? 'descending' : 'ascending') : undefined}
                  title={`${c.benchmark} · ${c.displayName}`}
                >
                  {sortButton(c.key, `${c.task} (${c.metric}${c.scale === 100 ? ', %' : ''})`)}
                </th>
              ))}
              {categories.map((c) => (
                <th scope="col" key={c} aria-sort={sortKey === c ? (desc ? 'descending' : 'ascending') : undefined}>
                  {sortButton(c, `${c} (mean)`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.runId} data-testid="leaderboard-row">
                <th scope="row">
                  {e.runId} · {e.name} <span className="muted">({e.kind})</span>
                </th>
                <td>{e.config}</td>
                {board.columns.map((c) => {
                  const cell = e.cells[c.key];
                  return (
                    <td key={c.key} data-testid={`lb-${e.runId}-${c.key}`} data-estimate={cell?.estimate}>
                      {cell
                        ? `${formatMetric(cell.estimate, c.scale)} [${formatMetric(cell.low, c.scale)}, ${formatMetric(cell.high, c.scale)}] n=${cell.n}`
                        : ''}
                    </td>
                  );
                })}
                {categories.map((c) => (
                  <td key={c}>{e.categories[c] ? `${formatMetric(e.categories[c].mean, 100)} (${e.categories[c].tasks} tasks)` : ''}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
