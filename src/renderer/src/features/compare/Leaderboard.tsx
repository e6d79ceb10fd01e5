/**
 * The leaderboard: every run with finished items × the tasks it ran, each cell the task's primary
 * metric with its 95% bootstrap interval (engine: `leaderboard`), MedS-Bench's category means,
 * sortable by any column and filterable by benchmark and category. A plain table, so every
 * number is readable by a screen reader; charts can be drawn from the same result later. Where
 * reviewers annotated outputs, a second table gives per run × task the tag, verdict and harm
 * counts and the score adjusted by review beside the automatic one, each labelled as what it is.
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
      <LeaderboardReviews board={board} />
    </section>
  );
}

const countList = (r: Record<string, number>) =>
  Object.entries(r)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ') || '—';

/** Review counts and adjusted scores, only for the run × task pairs someone annotated. */
function LeaderboardReviews({ board }: { board: LeaderboardResult }) {
  const rows = board.entries.flatMap((e) => board.columns.flatMap((c) => (e.reviews?.[c.key] ? [{ e, c, r: e.reviews[c.key]! }] : [])));
  if (rows.length === 0) return null;
  return (
    <table className="compare-stats-table leaderboard-table" data-testid="leaderboard-reviews">
      <caption>
        What reviewers said (all reviewers and sessions). Adjusted by review: the mean per-item score with each reviewed output scored by its reviewers&rsquo;
        mean verdict (correct 1, partly ½, incorrect 0); automatic: the same mean without reviews.
      </caption>
      <thead>
        <tr>
          <th scope="col">Run</th>
          <th scope="col">Task</th>
          <th scope="col">Annotated</th>
          <th scope="col">Tags (outputs)</th>
          <th scope="col">Verdicts</th>
          <th scope="col">Harm</th>
          <th scope="col">Automatic (item mean)</th>
          <th scope="col">Adjusted by review</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ e, c, r }) => (
          <tr key={`${e.runId}-${c.key}`} data-testid={`lb-review-${e.runId}-${c.key}`}>
            <th scope="row">
              {e.runId} · {e.name}
            </th>
            <td>{c.task}</td>
            <td>{r.annotated}</td>
            <td data-testid="lb-review-tags">{countList(r.tags)}</td>
            <td>{countList(r.verdictCounts)}</td>
            <td>{countList(r.severityCounts)}</td>
            <td>{r.automatic === null ? '—' : formatMetric(r.automatic, c.scale)}</td>
            <td data-testid="lb-review-adjusted">{r.adjusted === null ? '—' : formatMetric(r.adjusted, c.scale)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
