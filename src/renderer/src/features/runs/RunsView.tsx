import { useEffect } from 'react';
import { useRuns } from './runsStore';
import { ExportRunDialog } from './ExportRunDialog';
import { ImportPredictionsDialog } from './ImportPredictionsDialog';
import { NewRunDialog } from './NewRunDialog';
import { Pane } from '../../ui/Pane';
import { RunDetailPane } from './RunDetailPane';
import { RunItemPane } from './RunItemView';
import { RunList } from './RunList';
import { ReviewButtons } from '../annotations/ReviewButtons';
import './runs.css';

/** Benchmark runs: the list with live progress on top, the open run's scores and items below. */
export function RunsView() {
  const count = useRuns((s) => s.runs?.length ?? null);
  const openRunId = useRuns((s) => s.openRunId);
  const { openDialog, load } = useRuns.getState();

  // Runs may have been made elsewhere (the CLI on the same library) since the view was last shown.
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <main className="runs-view" data-testid="runs-view">
      <div className="runs-toolbar">
        <button type="button" id="run-new" data-testid="run-new" className="button primary" onClick={() => openDialog({ kind: 'new' })} title="New run (n)">
          New run…
        </button>
        <button
          type="button"
          id="runs-import"
          data-testid="runs-import"
          className="button"
          onClick={() => openDialog({ kind: 'import' })}
          title="Import predictions (i)"
        >
          Import predictions…
        </button>
        <ReviewButtons runIds={openRunId !== null ? [openRunId] : []} />
        <span className="runs-toolbar-keys muted">
          <kbd>n</kbd> new · <kbd>i</kbd> import · in the list: <kbd>p</kbd> pause · <kbd>r</kbd> resume · <kbd>x</kbd> cancel · <kbd>e</kbd> export ·{' '}
          <kbd>d</kbd> duplicate
        </span>
      </div>
      <Pane title="Runs" label="Runs" className="runs-pane" actions={count !== null ? <span className="pane-meta">{count}</span> : undefined}>
        <RunList />
      </Pane>
      <div className="run-workbench">
        <RunDetailPane />
        <RunItemPane />
      </div>
      <NewRunDialog />
      <ImportPredictionsDialog />
      <ExportRunDialog />
    </main>
  );
}
