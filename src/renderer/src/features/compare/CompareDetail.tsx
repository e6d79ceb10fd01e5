/**
 * The open item in full: instruction, input and few-shot history (proportional font for the
 * clinical prose), the gold and per run the extracted answer as the task reads it (entity spans,
 * label chips, prose), the exact prompt it was sent, its raw output (monospace), metric values,
 * tokens, latency and truncation record — plus the diff.
 */
import { lazy, Suspense } from 'react';
import type { CompareItemDetail, CompareResult } from '../../../../shared/compare';
import { AnswerView } from '../../ui/AnswerView';
import { ErrorNote } from '../../ui/ErrorNote';
import { OpenInPlayground } from '../playground/OpenInPlayground';
import { formatMetric } from './compareFormat';
import { diffSides, useCompare, type DiffSide } from './compareStore';

const CompareDiffEditor = lazy(() => import('./CompareDiffEditor'));

function sideText(detail: CompareItemDetail, side: DiffSide): string {
  if (side === 'gold') return detail.gold.join('\n');
  const r = detail.runs[side];
  return r?.rawOutput ?? r?.error ?? '';
}

function sideName(result: CompareResult, side: DiffSide): string {
  return side === 'gold' ? 'Gold' : `${side + 1} · ${result.runs[side]?.name ?? ''}`;
}

function DiffPanel({ result, detail }: { result: CompareResult; detail: CompareItemDetail }) {
  const picks = useCompare((s) => s.diffPicks);
  const sideBySide = useCompare((s) => s.sideBySide);
  const { setDiffSides, toggleSideBySide, toggleDiff } = useCompare.getState();
  const [left, right] = diffSides(picks, result.baseline, result.runs.length);
  const options = [
    <option key="gold" value="gold">
      Gold
    </option>,
    ...result.runs.map((r, i) => (
      <option key={r.id} value={i}>
        {i + 1} · {r.name}
      </option>
    )),
  ];
  const parse = (v: string): DiffSide => (v === 'gold' ? 'gold' : Number(v));
  return (
    <section className="compare-diff" aria-label="Diff" data-testid="compare-diff">
      <div className="compare-diff-bar">
        <label className="compare-field">
          Left
          <select value={String(left)} onChange={(e) => setDiffSides(parse(e.target.value), right)} data-testid="diff-left">
            {options}
          </select>
        </label>
        <label className="compare-field">
          Right
          <select value={String(right)} onChange={(e) => setDiffSides(left, parse(e.target.value))} data-testid="diff-right">
            {options}
          </select>
        </label>
        <button type="button" className="button" onClick={toggleSideBySide} data-testid="diff-layout">
          {sideBySide ? 'Inline' : 'Side by side'}
        </button>
        <button type="button" className="button" onClick={() => toggleDiff(false)}>
          Close diff
        </button>
        <span className="muted">
          <kbd>1</kbd>–<kbd>{Math.min(8, result.runs.length)}</kbd> pick runs · <kbd>d</kbd> toggles
        </span>
      </div>
      <p className="muted" data-testid="diff-sides">
        {sideName(result, left)} ⟷ {sideName(result, right)}
      </p>
      <Suspense fallback={<span className="pane-note">Loading diff…</span>}>
        <CompareDiffEditor
          original={sideText(detail, left)}
          modified={sideText(detail, right)}
          sideBySide={sideBySide}
          label={`Diff of ${sideName(result, left)} and ${sideName(result, right)}`}
        />
      </Suspense>
    </section>
  );
}

export function CompareDetail() {
  const result = useCompare((s) => s.result);
  const openKey = useCompare((s) => s.openKey);
  const detail = useCompare((s) => s.detail);
  const detailError = useCompare((s) => s.detailError);
  const diffOpen = useCompare((s) => s.diffOpen);
  const { closeDetail } = useCompare.getState();
  if (!result || openKey === null) {
    return <p className="pane-note">Open a row (Enter) to see the whole item, every run’s prompt and raw output; press d for a diff.</p>;
  }
  if (detailError) return <ErrorNote error={detailError} />;
  if (!detail) return <p className="pane-note">Loading…</p>;
  const group = result.groups.find((g) => g.key === `${detail.benchmark}/${detail.task}`);
  // How the task's answers read comes from the engine (getCompareItem's answerKind): spans, chips or prose.
  const kind = detail.answerKind ?? null;
  return (
    <div className="compare-detail" data-testid="compare-detail">
      <div className="compare-detail-bar">
        <h3>{detail.key}</h3>
        <button type="button" className="button" onClick={closeDetail}>
          Close
        </button>
      </div>
      {diffOpen && <DiffPanel result={result} detail={detail} />}
      {detail.instruction && (
        <>
          <h4>Instruction</h4>
          <p className="prose block">{detail.instruction}</p>
        </>
      )}
      {detail.history.length > 0 && (
        <>
          <h4>Few-shot history ({detail.history.length} turns, from the library record)</h4>
          {detail.history.map(([u, a], i) => (
            <div key={i} className="compare-turn">
              <p className="prose block">
                <strong>User:</strong> {u}
              </p>
              <p className="prose block">
                <strong>Assistant:</strong> {a}
              </p>
            </div>
          ))}
        </>
      )}
      <h4>Input</h4>
      <p className="prose block" data-testid="compare-detail-input">
        {detail.input}
      </p>
      <h4>Gold{detail.gold.length > 1 ? ` (${detail.gold.length})` : ''}</h4>
      {detail.gold.map((g, i) => (
        <AnswerView key={i} text={g} kind={kind} entityType={detail.entityType} testId="compare-gold" />
      ))}
      {detail.runs.map((r, ri) => {
        const run = result.runs[ri]!;
        // The legend once, under the first run that answered.
        const legend = ri === detail.runs.findIndex((x) => x.status !== 'missing' && x.extracted !== null);
        return (
          <section key={r.runId} className="compare-run-detail" aria-label={`Run ${ri + 1}: ${run.name}`} data-testid="compare-run-detail">
            <h4>
              {ri + 1} · {run.name} <span className="muted">({run.modelLabel})</span>
            </h4>
            {r.status === 'missing' ? (
              <p className="muted">This run has no output for this item.</p>
            ) : (
              <>
                <OpenInPlayground
                  prompt={r.promptMessages}
                  info={{ label: `${detail.benchmark} / ${detail.task} · #${detail.index ?? '?'}`, source: `run “${run.name}”`, gold: detail.gold }}
                />
                <dl className="compare-facts">
                  <div className="compare-fact compare-fact-answer">
                    <dt>Extracted</dt>
                    <dd>
                      {r.extracted === null ? (
                        '—'
                      ) : (
                        <AnswerView
                          text={r.extracted}
                          kind={kind}
                          gold={detail.gold[0] ?? null}
                          entityType={detail.entityType}
                          testId="compare-extracted"
                          legend={legend}
                        />
                      )}
                    </dd>
                  </div>
                  {group?.metrics.map((m) => (
                    <div key={m.id} className="compare-fact">
                      <dt>{m.displayName}</dt>
                      <dd data-testid={`metric-${ri + 1}-${m.id}`}>{formatMetric(r.metrics[m.id] ?? null, m.scale)}</dd>
                    </div>
                  ))}
                  <div className="compare-fact">
                    <dt>Tokens</dt>
                    <dd>
                      {r.promptTokens ?? '—'} prompt · {r.outputTokens ?? '—'} output
                    </dd>
                  </div>
                  <div className="compare-fact">
                    <dt>Latency</dt>
                    <dd>
                      {r.latencyMs !== null ? `${Math.round(r.latencyMs)} ms` : '—'}
                      {r.timeToFirstTokenMs !== null ? ` (first token ${Math.round(r.timeToFirstTokenMs)} ms)` : ''}
                    </dd>
                  </div>
                  <div className="compare-fact">
                    <dt>Truncation</dt>
                    <dd>{r.truncatedTokens ? `${r.truncatedTokens} prompt tokens cut` : 'none'}</dd>
                  </div>
                  {r.error && (
                    <div className="compare-fact">
                      <dt>Error</dt>
                      <dd className="error-text">{r.error}</dd>
                    </div>
                  )}
                </dl>
                <details>
                  <summary>Raw output</summary>
                  <pre className="mono block" data-testid="compare-raw-output">
                    {r.rawOutput ?? '(none)'}
                  </pre>
                </details>
                <details>
                  <summary>Prompt sent (after the chat template)</summary>
                  <pre className="mono block">
                    {r.renderedPrompt ?? (r.promptMessages ? JSON.stringify(r.promptMessages, null, 2) : 'not recorded (imported predictions)')}
                  </pre>
                </details>
              </>
            )}
          </section>
        );
      })}
    </div>
  );
}
