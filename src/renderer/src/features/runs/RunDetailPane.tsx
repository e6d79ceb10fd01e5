import { formatCount } from '../../lib/format';
import { useRunItems } from './runItemsStore';
import { useRuns } from './runsStore';
import { ErrorNote } from '../../ui/ErrorNote';
import { Pane } from '../../ui/Pane';
import { RunItemFilterBar, RunItemList } from './RunItemList';
import { RunSummaryView } from './RunSummaryView';
import { useCompare } from '../compare/compareStore';
import { useView } from '../../app/viewStore';

export function RunDetailPane() {
  const openRunId = useRuns((s) => s.openRunId);
  const detail = useRuns((s) => s.detail);
  const detailError = useRuns((s) => s.detailError);
  const total = useRunItems((s) => s.total);
  const loaded = useRunItems((s) => s.items.length);
  const open = useRuns.getState().open;

  if (openRunId === null) {
    return (
      <Pane title="Run" label="Run" className="run-detail-pane">
        <p className="pane-note">Select a run and press Enter (or click it) to see its scores and items.</p>
      </Pane>
    );
  }
  const count = total === null ? null : loaded < total ? `${formatCount(loaded)} of ${formatCount(total)}` : formatCount(total);
  return (
    <div className="run-detail-pane" data-testid="run-detail">
      <Pane
        title={detail ? `Run ${detail.id} · ${detail.name}` : `Run ${openRunId}`}
        label="Run summary"
        className="run-summary-pane"
        actions={
          // Opens the Compare view with this run picked (as the baseline); pick the others there.
          <button
            type="button"
            className="button"
            data-testid="run-compare"
            onClick={() => {
              useCompare.getState().setPicked([openRunId]);
              useView.getState().setView('compare');
            }}
          >
            Compare with…
          </button>
        }
      >
        {detailError && <ErrorNote error={detailError} onRetry={() => void open(openRunId)} />}
        {detail ? <RunSummaryView run={detail} /> : !detailError && <p className="pane-note">Loading…</p>}
      </Pane>
      <Pane title="Items" label="Run items" className="run-items-pane" actions={count ? <span className="pane-meta">{count}</span> : undefined}>
        <RunItemFilterBar />
        <RunItemList />
      </Pane>
    </div>
  );
}
