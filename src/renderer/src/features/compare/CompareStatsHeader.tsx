/**
 * The compare header: per task, each run's metrics with their 95% bootstrap intervals, what each
 * run lacks, and for every run against the baseline the paired difference and test in a plain
 * sentence — all computed by the engine (compareStats), only laid out here.
 */
import { ErrorNote } from '../../ui/ErrorNote';
import { formatInterval } from './compareFormat';
import { useCompare } from './compareStore';

export function CompareStatsHeader() {
  const result = useCompare((s) => s.result);
  const stats = useCompare((s) => s.stats);
  const statsLoading = useCompare((s) => s.statsLoading);
  const statsError = useCompare((s) => s.statsError);
  const task = useCompare((s) => s.filter.task);
  if (!result) return null;
  const groups = result.groups.filter((g) => task === null || g.key === task);
  return (
    <section className="compare-stats" aria-label="Scores and paired differences" data-testid="compare-stats">
      {statsError && <ErrorNote error={statsError} />}
      {statsLoading && <p className="pane-note">Computing confidence intervals and paired tests…</p>}
      {groups.map((g) => {
        const gs = stats?.groups.find((x) => x.key === g.key);
        return (
          <div key={g.key} className="compare-stats-group" data-testid="compare-stats-group" data-task={g.key}>
            <h3 className="compare-stats-title">
              {g.task}{' '}
              <span className="muted">
                ({g.benchmark}
                {g.category ? ` · ${g.category}` : ''}) · {g.common} common items
              </span>
              {g.missing.some((m) => m > 0) && (
                <span className="muted" data-testid="compare-missing">
                  {' '}
                  · lacking: {result.runs.map((r, i) => `${r.name} ${g.missing[i]}`).join(', ')}
                </span>
              )}
            </h3>
            {gs && (
              <table className="compare-stats-table">
                <caption className="visually-hidden">
                  {g.task}: each metric with its 95% bootstrap confidence interval ({stats!.resamples} resamples, seed {stats!.seed})
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Run</th>
                    {g.metrics.map((m, mi) => (
                      <th scope="col" key={m.id} title={m.id}>
                        {m.displayName}
                        {mi === g.primary ? ' (primary)' : ''}
                        {m.scale === 100 ? ' %' : ''}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {result.runs.map((r, ri) => (
                    <tr key={r.id} data-testid="compare-stats-run">
                      <th scope="row">
                        {ri + 1} · {r.name}
                        {ri === result.baseline ? ' (baseline)' : ''}
                      </th>
                      {gs.perRun[ri]!.map((m, mi) => (
                        <td key={m.metric} data-testid={`ci-${ri + 1}-${m.metric}`} data-estimate={m.estimate} data-low={m.low} data-high={m.high}>
                          {formatInterval(m, g.metrics[mi]!)}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {gs?.pairs
              .filter((p) => p.metric === g.metrics[g.primary]?.id)
              .map((p) => (
                <p
                  key={`${p.run}-${p.metric}`}
                  className={p.distinguishable ? 'compare-sentence significant' : 'compare-sentence'}
                  data-testid="compare-pair"
                  data-run={p.run + 1}
                  data-diff={p.diff.estimate}
                  data-low={p.diff.low}
                  data-high={p.diff.high}
                  data-p={p.p}
                >
                  {p.sentence}
                </p>
              ))}
          </div>
        );
      })}
    </section>
  );
}
