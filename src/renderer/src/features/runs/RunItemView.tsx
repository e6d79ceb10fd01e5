import type { RunItemRow } from '../../../../shared/runs';
import { formatMs } from './runFormat';
import { useRunItems } from './runItemsStore';
import { Pane } from '../../ui/Pane';
import { AnswerView } from '../../ui/AnswerView';

function Facts({ item }: { item: RunItemRow }) {
  const facts: [string, string][] = [
    ['status', item.status],
    ['tokens in', item.promptTokens === null ? '—' : String(item.promptTokens)],
    ['tokens out', item.outputTokens === null ? '—' : String(item.outputTokens)],
    ['latency', formatMs(item.latencyMs)],
    ['first token', formatMs(item.timeToFirstTokenMs)],
    ...(item.truncatedTokens ? ([['cut', `${item.truncatedTokens} prompt tokens`]] as [string, string][]) : []),
  ];
  return (
    <div className="item-meta run-item-meta" data-testid="run-item-meta">
      <span className="mono">{item.benchmark}</span> / <span className="mono">{item.task}</span> · #{item.index ?? '—'}
      {facts.map(([k, v]) => (
        <span key={k}>
          {' · '}
          <span className="muted">{k}</span> {v}
        </span>
      ))}
    </div>
  );
}

/** One run item: the exact prompt the model saw beside what it answered, then gold and extraction. */
export function RunItemPane() {
  const item = useRunItems((s) => (s.openOrd === null ? undefined : s.items.find((r) => r.ord === s.openOrd)));
  const runId = useRunItems((s) => s.runId);

  let body;
  if (runId === null) body = <p className="pane-note">Open a run to see its items.</p>;
  else if (!item) body = <p className="pane-note">Select an item (arrow keys or a click) to see its prompt and output.</p>;
  else {
    const prompt = item.renderedPrompt;
    // The engine says how the task's answers read (pageRunItems' answerKind); rows without it show plain text.
    const kind = item.answerKind ?? null;
    const gold = item.gold[0] ?? null;
    body = (
      <article className="item-view run-item-view" data-testid="run-item-view" tabIndex={0} aria-label={`Run item ${item.index ?? item.ord} of ${item.task}`}>
        <Facts item={item} />
        {item.error && (
          <div className="error-note" role="alert" data-testid="run-item-error">
            <span className="error-code">error</span>
            <span className="error-message">{item.error}</span>
          </div>
        )}
        <div className="side-by-side">
          <section className="field">
            <h3 className="field-label">
              Prompt{' '}
              <span className="muted">
                {prompt === null
                  ? item.status === 'pending'
                    ? '(not run yet)'
                    : '(none recorded: the input follows)'
                  : item.truncatedTokens
                    ? `(exactly as evaluated, after ${item.truncatedTokens} tokens were cut to fit)`
                    : '(exactly as rendered)'}
              </span>
            </h3>
            <div className="text" data-testid="run-item-prompt">
              {prompt ?? item.input}
            </div>
          </section>
          <section className="field">
            <h3 className="field-label">Output</h3>
            {/* The answer as the task reads it (entity spans, label chips, prose), marked against the gold; the raw text below on demand. */}
            <AnswerView text={item.rawOutput ?? ''} kind={kind} gold={gold} entityType={item.entityType} testId="run-item-output" legend />
            {item.rawOutput !== null && (
              <details className="run-item-raw">
                <summary>Raw output</summary>
                <pre className="mono block" data-testid="run-item-raw">
                  {item.rawOutput}
                </pre>
              </details>
            )}
            <h3 className="field-label">Extracted answer</h3>
            <AnswerView text={item.extracted ?? ''} kind={kind} gold={gold} entityType={item.entityType} testId="run-item-extracted" />
            <h3 className="field-label">Gold {item.gold.length > 1 && <span className="muted">({item.gold.length} accepted)</span>}</h3>
            {item.gold.map((g, i) => (
              <div key={i} className="gold-text">
                <AnswerView text={g} kind={kind} entityType={item.entityType} testId="run-item-gold" />
              </div>
            ))}
          </section>
        </div>
      </article>
    );
  }
  return (
    <Pane title={item ? `Item #${item.index ?? item.ord}` : 'Item'} label="Run item" className="item-pane run-item-pane">
      {body}
    </Pane>
  );
}
