import type React from 'react';
import type { RunSummary } from '../../../../shared/runs';
import { formatCount } from '../../lib/format';
import {
  canCancel,
  canPause,
  canRescore,
  canResume,
  formatMs,
  formatScore,
  formatTokensPerSecond,
  headlineScores,
  isActiveStatus,
  otherMode,
  setupParts,
  wallTime,
} from './runFormat';
import { useRuns } from './runsStore';
import { ErrorNote } from '../../ui/ErrorNote';

interface RowActionProps {
  testId: string;
  label: string;
  /** Shown while the action is in flight. */
  busyLabel?: string;
  busy?: boolean;
  disabled?: boolean;
  title: string;
  onClick: () => void;
}

/** One of a run row's action buttons (the same shape for pause, resume, cancel, rescore, export, duplicate). */
function RowAction({ testId, label, busyLabel, busy = false, disabled = false, title, onClick }: RowActionProps) {
  return (
    <button type="button" className="mini-button" data-testid={testId} disabled={disabled} onClick={onClick} title={title}>
      {busy && busyLabel ? busyLabel : label}
    </button>
  );
}

/** What the run is, under its name: kind, tasks, configs, strategy and shots, model and adapters (or the imported label). */
function RunSetupLine({ run }: { run: RunSummary }) {
  const parts = run.setup ? setupParts(run.setup) : null;
  const model = parts?.model ?? run.modelLabel;
  return (
    <span className="run-setup" data-testid="run-setup" title={[run.kind, parts?.tasks, parts?.configs, parts?.prompt, model].filter(Boolean).join(' · ')}>
      <span className="tag">{run.kind}</span>
      {parts && <span data-testid="run-setup-tasks">{parts.tasks}</span>}
      {parts?.configs && <span data-testid="run-setup-configs">{parts.configs}</span>}
      {parts?.prompt && <span data-testid="run-setup-prompt">{parts.prompt}</span>}
      <span className="run-setup-model" data-testid="run-model">
        {model}
      </span>
    </span>
  );
}

interface RunRowProps {
  run: RunSummary;
  selected: boolean;
  open: boolean;
  onOpen: () => void;
}

export function RunRow({ run, selected, open, onOpen }: RunRowProps) {
  const progress = useRuns((s) => s.progress[run.id]);
  const busy = useRuns((s) => s.busy[run.id]);
  const actionError = useRuns((s) => s.actionErrors[run.id]);
  const { act, openDialog, dismissError, duplicate } = useRuns.getState();
  const active = isActiveStatus(run.status);
  const headline = headlineScores(run.scores);
  const scoresText = headline.map((h) => `${h.task}: ${h.metric} ${formatScore(h.value)}`).join('\n');

  let eta: string | null = null;
  if (run.status === 'running') {
    const ms = progress?.status === 'running' ? progress.etaMs : null;
    eta = ms !== null && ms !== undefined ? `ETA ${formatMs(ms)}` : 'ETA …';
  } else if (run.status === 'queued') eta = 'queued';

  const stop = (event: React.MouseEvent) => event.stopPropagation();

  return (
    <div
      id={`run-${run.id}`}
      data-testid="run-row"
      data-status={run.status}
      data-run-id={run.id}
      data-kind={run.kind}
      role="row"
      aria-selected={selected}
      className={open ? 'row run-row open' : 'row run-row'}
      onClick={onOpen}
    >
      <div className="run-grid">
        <div className="run-name-cell" role="gridcell">
          <span className="row-title" data-testid="run-name" title={run.name}>
            {run.name}
          </span>
          <RunSetupLine run={run} />
        </div>
        <div role="gridcell">
          <span className={`run-status status-${run.status}`} data-testid="run-status">
            {run.status}
          </span>
          {run.kind !== 'imported' && <span className="row-sub"> {run.metricMode}</span>}
        </div>
        <div className="run-progress-cell" role="gridcell">
          <span className="run-counts" data-testid="run-counts">
            {formatCount(run.itemDone)}/{formatCount(run.itemTotal)}
            {run.itemErrors > 0 && <span className="run-errors"> · {formatCount(run.itemErrors)} errors</span>}
          </span>
          {(active || run.status === 'paused') && (
            <span className="run-progress-line">
              <progress
                data-testid="run-progress"
                className="run-progress"
                value={run.itemDone}
                max={Math.max(run.itemTotal, 1)}
                aria-label={`Progress of run ${run.id}`}
              />
              {eta && (
                <span className="row-sub" data-testid="run-eta">
                  {eta}
                </span>
              )}
            </span>
          )}
        </div>
        <div className="num" role="gridcell" data-testid="run-speed">
          {formatTokensPerSecond(run.tokensPerSecond)}
        </div>
        <div className="num" role="gridcell" data-testid="run-wall">
          {wallTime(run)}
        </div>
        <div className="run-scores-cell" role="gridcell" title={scoresText || undefined} data-testid="run-headline">
          {headline.length === 0 ? (
            <span className="muted">—</span>
          ) : (
            headline.map((h) => (
              <span key={h.task} className="run-headline">
                {run.scores.length > 1 && <span className="muted">{h.task} </span>}
                <span className="muted">{h.metric}</span> <span className="mono">{formatScore(h.value)}</span>
              </span>
            ))
          )}
        </div>
        <div className="run-actions" role="gridcell" onClick={stop}>
          {canResume(run) ? (
            <RowAction
              testId="run-resume"
              label="Resume"
              busyLabel="Resuming…"
              busy={busy === 'resume'}
              disabled={busy !== undefined}
              onClick={() => void act(run.id, 'resume')}
              title="Resume (r)"
            />
          ) : (
            <RowAction
              testId="run-pause"
              label="Pause"
              busyLabel="Pausing…"
              busy={busy === 'pause'}
              disabled={!canPause(run) || busy !== undefined}
              onClick={() => void act(run.id, 'pause')}
              title="Pause (p)"
            />
          )}
          <RowAction
            testId="run-cancel"
            label="Cancel"
            busyLabel="Cancelling…"
            busy={busy === 'cancel'}
            disabled={!canCancel(run) || busy !== undefined}
            onClick={() => void act(run.id, 'cancel')}
            title="Cancel (x)"
          />
          <RowAction
            testId="run-rescore"
            label={`Rescore ${otherMode(run.metricMode)}`}
            busyLabel="Scoring…"
            busy={busy === 'rescore'}
            disabled={!canRescore(run) || busy !== undefined}
            onClick={() => void act(run.id, 'rescore')}
            title={`Score again with the ${otherMode(run.metricMode)} metrics`}
          />
          <RowAction testId="run-export" label="Export…" onClick={() => openDialog({ kind: 'export', runId: run.id })} title="Export (e)" />
          <RowAction
            testId="run-duplicate"
            label="Duplicate…"
            disabled={run.kind === 'imported'}
            onClick={() => void duplicate(run.id)}
            title={
              run.kind === 'imported' ? 'Imported predictions have no settings to start from' : 'Duplicate with changes: a new run from these settings (d)'
            }
          />
        </div>
      </div>
      {run.error && (
        <div className="run-error-line" data-testid="run-error" title={run.error}>
          {run.error}
        </div>
      )}
      {actionError && (
        <div className="run-action-error" onClick={stop}>
          <ErrorNote error={actionError} testId="run-action-error" />
          <button type="button" className="link-button" onClick={() => dismissError(run.id)}>
            Dismiss
          </button>
        </div>
      )}
    </div>
  );
}
