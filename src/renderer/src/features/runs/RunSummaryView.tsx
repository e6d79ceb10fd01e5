import type { ReactNode } from 'react';
import type { RunDetail } from '../../../../shared/runs';
import { formatCount } from '../../lib/format';
import { formatScore, formatTokensPerSecond, wallTime } from './runFormat';

/** Hardware facts as flat `key: value` pairs (nested objects one level deep, lists joined). */
export function hardwareEntries(hardware: Record<string, unknown>): [string, string][] {
  const out: [string, string][] = [];
  const show = (value: unknown): string | null => {
    if (value === null || value === undefined) return null;
    if (Array.isArray(value)) return value.length === 0 ? '—' : value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ');
    if (typeof value === 'object') return null;
    return String(value);
  };
  for (const [key, value] of Object.entries(hardware)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const text = show(v) ?? (v !== null && typeof v === 'object' ? JSON.stringify(v) : null);
        if (text !== null) out.push([`${key}.${k}`, text]);
      }
      continue;
    }
    const text = show(value);
    if (text !== null) out.push([key, text]);
  }
  return out;
}

function templateLine(run: RunDetail): string | null {
  const t = run.spec?.template;
  if (!t) return null;
  const parts: string[] = [t.strategy];
  if (t.k !== undefined && t.k !== null) parts.push(`k=${t.k}`);
  if (t.seed !== undefined) parts.push(`seed ${t.seed}`);
  if (t.variant) parts.push(`variant ${t.variant}`);
  if (t.mode) parts.push(`${t.mode} prompts`);
  return parts.join(' · ');
}

function decodingLine(run: RunDetail): string | null {
  const d = run.spec?.decoding;
  if (!d) return null;
  const parts = [`max ${d.maxTokens} tokens`, `temperature ${d.temperature}`];
  if (d.topP !== undefined) parts.push(`top-p ${d.topP}`);
  if (d.topK !== undefined) parts.push(`top-k ${d.topK}`);
  if (run.spec?.parallel) parts.push(`${run.spec.parallel} parallel`);
  const m = run.spec?.model;
  if (m?.kind === 'local' && m.truncate && m.truncate !== 'error')
    parts.push(`long prompts ${m.truncate}${m.maxPromptTokens ? ` at ${m.maxPromptTokens} tokens` : ''}`);
  else if (m?.kind === 'local' && m.maxPromptTokens) parts.push(`prompts ≤ ${m.maxPromptTokens} tokens`);
  return parts.join(' · ');
}

export function RunSummaryView({ run }: { run: RunDetail }) {
  const rows: [string, ReactNode][] = [
    [
      'Status',
      <span key="s" className={`run-status status-${run.status}`} data-testid="run-detail-status">
        {run.status}
      </span>,
    ],
    [
      'Model',
      <span key="m" className="mono" data-testid="run-detail-model">
        {run.modelLabel}
      </span>,
    ],
    [
      'Items',
      <span key="i" data-testid="run-detail-items">
        {`${formatCount(run.itemDone)}/${formatCount(run.itemTotal)} done · ${formatCount(run.itemErrors)} errors · ${formatCount(run.outputTokens)} output tokens`}
        {run.truncatedItems > 0 && <span className="warn-text"> · {formatCount(run.truncatedItems)} prompts cut to fit</span>}
      </span>,
    ],
    ['Speed', `${formatTokensPerSecond(run.tokensPerSecond)} · wall ${wallTime(run)}`],
    ['Metrics', run.metricMode],
  ];
  const template = templateLine(run);
  if (template) rows.push(['Prompt', template]);
  if (run.templateHash)
    rows.push([
      'Template',
      <span key="h" className="mono" title={run.templateHash} data-testid="run-template-hash">
        {run.templateHash.slice(0, 16)}
      </span>,
    ]);
  const decoding = decodingLine(run);
  if (decoding) rows.push(['Decoding', decoding]);
  const when = [
    run.startedAt && `started ${new Date(run.startedAt).toLocaleString()}`,
    run.finishedAt && `finished ${new Date(run.finishedAt).toLocaleString()}`,
  ]
    .filter(Boolean)
    .join(' · ');
  rows.push(['Created', `${new Date(run.createdAt).toLocaleString()}${when ? ` · ${when}` : ''}`]);
  const hardware = run.hardware ? hardwareEntries(run.hardware) : [];

  return (
    <div className="run-summary" data-testid="run-summary">
      {run.error && (
        <div className="error-note" role="alert" data-testid="run-detail-error">
          <span className="error-code">failed</span>
          <span className="error-message">{run.error}</span>
        </div>
      )}
      <dl className="facts">
        {rows.map(([k, v]) => (
          <div key={k} className="fact">
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      <ScoreTable run={run} />
      {hardware.length > 0 && (
        <details className="hardware" data-testid="run-hardware" open>
          <summary>{run.kind === 'imported' ? 'Source' : 'Hardware and backend'}</summary>
          <dl className="facts">
            {hardware.map(([k, v]) => (
              <div key={k} className="fact">
                <dt className="mono">{k}</dt>
                <dd className="mono" title={v}>
                  {v}
                </dd>
              </div>
            ))}
          </dl>
        </details>
      )}
    </div>
  );
}

export function ScoreTable({ run }: { run: RunDetail }) {
  if (run.scores.length === 0) {
    return (
      <p className="pane-note" data-testid="run-scores-empty">
        {run.status === 'done' ? 'No scores: no item produced an output.' : 'Scores appear when the run is done.'}
      </p>
    );
  }
  const metrics: string[] = [];
  for (const s of run.scores) for (const m of Object.keys(s.metrics)) if (!metrics.includes(m)) metrics.push(m);
  return (
    <div className="import-table-wrap run-scores-wrap">
      <table className="import-table" data-testid="run-scores">
        <thead>
          <tr>
            <th>Task</th>
            <th className="num">Items</th>
            {metrics.map((m) => (
              <th key={m} className="num">
                {m}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {run.scores.map((s) => (
            <tr key={`${s.benchmark}/${s.task}`} data-testid="run-score-row" data-task={s.task}>
              <td title={`${s.benchmark}/${s.task}`}>{s.task}</td>
              <td className="num">{formatCount(s.itemCount)}</td>
              {metrics.map((m) => {
                const v = s.metrics[m];
                return (
                  <td key={m} className="num mono" data-testid="run-score" data-metric={m}>
                    {v === undefined ? '' : formatScore(v)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {run.scoreNotes?.map((n) => (
        <p key={n} className="pane-note" role="note" data-testid="run-score-note">
          {n}
        </p>
      ))}
    </div>
  );
}
