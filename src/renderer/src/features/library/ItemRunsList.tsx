/**
 * Every run's answer to the open item (itemRuns): the run's name and model, its answer read as the
 * task reads it (entity spans, labels, prose), its per-item metric values with their scale, the raw
 * output and the prompt on demand, and a link that opens the run at this item.
 */
import type { CompareMetricInfo } from '../../../../shared/compare';
import type { ItemRunAnswer, ItemRunsResult } from '../../../../shared/itemRuns';
import type { QueryTerm } from '../../../../shared/queryTerms';
import { AnswerView } from '../../ui/AnswerView';
import { ErrorNote } from '../../ui/ErrorNote';
import { useItemView } from './itemViewStore';
import { openRunAt } from './openRunAt';

/** A metric value the way its benchmark reports it: MedS-Bench in percent, MedINST32 as a fraction. */
export function formatItemMetric(value: number | null, scale: 1 | 100): string {
  if (value === null) return 'skipped';
  return scale === 100 ? `${value.toFixed(1)} %` : value.toFixed(3);
}

function runWhat(r: ItemRunAnswer): string {
  const parts = [r.modelLabel];
  if (r.configName) parts.push(`config “${r.configName}”`);
  if (r.taskConfig) parts.push(r.taskConfig);
  if (r.strategy) parts.push(r.shots === null ? `${r.strategy} prompt` : `${r.strategy} prompt, ${r.shots}-shot`);
  if (r.kind !== 'local') parts.push(r.kind);
  return parts.join(' · ');
}

function Scores({ run, metrics, primary }: { run: ItemRunAnswer; metrics: CompareMetricInfo[]; primary: number }) {
  if (run.scores === null) return <p className="muted">not scored yet (pending)</p>;
  return (
    <dl className="item-run-scores" data-testid="item-run-scores">
      {metrics.map((m, i) => (
        <div key={m.id} className={i === primary ? 'primary' : undefined} title={m.scale === 100 ? 'percent (MedS-Bench)' : 'fraction from 0 to 1 (MedINST32)'}>
          <dt>{m.displayName}</dt>
          <dd data-metric={m.id}>{formatItemMetric(run.scores![m.id] ?? null, m.scale)}</dd>
        </div>
      ))}
    </dl>
  );
}

function RunAnswer({ run, result, gold, terms, first }: { run: ItemRunAnswer; result: ItemRunsResult; gold: string; terms?: QueryTerm[]; first: boolean }) {
  const answer = run.extracted ?? run.rawOutput;
  return (
    <li className="item-run" data-testid="item-run" data-run-id={run.runId}>
      <div className="item-run-head">
        <span className="item-run-name">{run.runName}</span>
        <span className="muted">{runWhat(run)}</span>
        <button
          type="button"
          className="link-button"
          data-testid="item-run-open"
          title={`Open run #${run.runId} in the Runs view at this item`}
          onClick={() => void openRunAt(run.runId, run.ord)}
        >
          Open in run #{run.runId}
        </button>
      </div>
      {run.status === 'pending' && <p className="muted">not answered yet</p>}
      {run.status === 'error' && (
        <p className="item-run-error" role="note">
          Failed: {run.error ?? 'no output'}
        </p>
      )}
      {answer !== null && (
        <AnswerView text={answer} kind={result.answerKind} gold={gold} entityType={result.entityType} terms={terms} testId="item-run-answer" legend={first} />
      )}
      <Scores run={run} metrics={result.metrics} primary={result.primary} />
      {run.rawOutput !== null && (
        <details className="item-run-more">
          <summary>Raw output</summary>
          <pre className="text" data-testid="item-run-raw">
            {run.rawOutput}
          </pre>
        </details>
      )}
      {run.renderedPrompt !== null && (
        <details className="item-run-more">
          <summary>Prompt sent</summary>
          <pre className="text">{run.renderedPrompt}</pre>
        </details>
      )}
    </li>
  );
}

export function ItemRunsList({ gold, terms }: { gold: string; terms?: QueryTerm[] }) {
  const result = useItemView((s) => s.runs);
  const loading = useItemView((s) => s.runsLoading);
  const error = useItemView((s) => s.runsError);
  const reload = useItemView.getState().reloadRuns;
  let body;
  if (error) body = <ErrorNote error={error} onRetry={() => void reload()} />;
  else if (loading || !result) body = <p className="pane-note">Reading the runs…</p>;
  else if (result.runs.length === 0) body = <p className="muted">No run has answered this item yet. Start one from the Runs view (Ctrl+2).</p>;
  else
    body = (
      <ul className="item-runs" data-testid="item-runs">
        {result.runs.map((r, i) => (
          <RunAnswer key={r.runId} run={r} result={result} gold={gold} terms={terms} first={i === 0} />
        ))}
      </ul>
    );
  return (
    <section className="field" aria-label="Runs' answers">
      <h3 className="field-label">Runs’ answers {result && result.runs.length > 0 && <span className="muted">({result.runs.length})</span>}</h3>
      {body}
    </section>
  );
}
