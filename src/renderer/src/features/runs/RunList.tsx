import type React from 'react';
import { focusById, listKeyHandler } from '../../lib/listKeys';
import { useRuns } from './runsStore';
import { ErrorNote } from '../../ui/ErrorNote';
import { RunRow } from './RunRow';

export const RUN_LIST_ID = 'run-list';

/** Every run, newest first, with live progress and the actions that apply to each. */
export function RunList() {
  const runs = useRuns((s) => s.runs);
  const listError = useRuns((s) => s.listError);
  const cursor = useRuns((s) => s.cursor);
  const openRunId = useRuns((s) => s.openRunId);
  const { select, open, load, act, openDialog, duplicate } = useRuns.getState();

  if (runs === null) {
    return listError ? <ErrorNote error={listError} onRetry={() => void load()} /> : <p className="pane-note">Loading…</p>;
  }

  const index = runs.findIndex((r) => r.id === cursor);
  const listKeys = listKeyHandler({
    count: runs.length,
    index: index === -1 ? null : index,
    onMove: (i) => {
      const r = runs[i];
      if (r) select(r.id);
    },
    onOpen: (i) => {
      const r = runs[i];
      if (!r) return;
      void open(r.id);
      focusById('run-items');
    },
  });
  const onKeyDown = (event: React.KeyboardEvent<HTMLDivElement>) => {
    if (event.target !== event.currentTarget) return; // keys on a row's buttons act on the button
    const run = index === -1 ? undefined : runs[index];
    if (run && !event.altKey && !event.ctrlKey && !event.metaKey) {
      // Single-key actions on the run under the cursor.
      const action = { p: 'pause', r: 'resume', x: 'cancel' } as const;
      if (event.key in action) {
        event.preventDefault();
        void act(run.id, action[event.key as keyof typeof action]);
        return;
      }
      if (event.key === 'e') {
        event.preventDefault();
        openDialog({ kind: 'export', runId: run.id });
        return;
      }
      if (event.key === 'd' && run.kind !== 'imported') {
        event.preventDefault();
        void duplicate(run.id);
        return;
      }
    }
    listKeys(event);
  };

  return (
    <>
      {listError && <ErrorNote error={listError} onRetry={() => void load()} />}
      {runs.length === 0 ? (
        <p className="pane-note" data-testid="runs-empty">
          No runs yet. Start one with <kbd>New run</kbd>, or bring in predictions made elsewhere with <kbd>Import predictions</kbd>.
        </p>
      ) : (
        <div
          id={RUN_LIST_ID}
          data-testid="runs-list"
          className="list runs-list"
          role="grid"
          aria-label="Runs"
          aria-rowcount={runs.length + 1}
          tabIndex={0}
          aria-activedescendant={index !== -1 ? `run-${cursor}` : undefined}
          onKeyDown={onKeyDown}
        >
          <div className="run-grid run-head" role="row">
            <span role="columnheader">Run</span>
            <span role="columnheader">Status</span>
            <span role="columnheader">Progress</span>
            <span role="columnheader" className="num">
              Speed
            </span>
            <span role="columnheader" className="num">
              Wall
            </span>
            <span role="columnheader">Scores</span>
            <span role="columnheader" className="run-actions-head">
              Actions
            </span>
          </div>
          {runs.map((r) => (
            <RunRow key={r.id} run={r} selected={r.id === cursor} open={r.id === openRunId} onOpen={() => void open(r.id)} />
          ))}
        </div>
      )}
    </>
  );
}
