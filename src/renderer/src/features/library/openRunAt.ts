/**
 * Opens a run in the Runs view at one of its items (the item view's "Open in run" link): the run is
 * opened, its item pages are read until the item's row is there, and the row is opened.
 */
import { useView } from '../../app/viewStore';
import { useRuns } from '../runs/runsStore';
import { hasMoreRunItems, useRunItems } from '../runs/runItemsStore';

function whenIdle(): Promise<void> {
  return new Promise((resolve) => {
    if (!useRunItems.getState().loading) return resolve();
    const stop = useRunItems.subscribe((s) => {
      if (s.loading) return;
      stop();
      resolve();
    });
  });
}

export async function openRunAt(runId: number, ord: number): Promise<boolean> {
  useView.getState().setView('runs');
  await useRuns.getState().open(runId);
  // Pages of 200 rows; an item deep in a large run costs a few pages, read only on this click.
  for (let guard = 0; guard < 1000; guard++) {
    await whenIdle();
    const s = useRunItems.getState();
    if (s.runId !== runId) return false;
    const index = s.items.findIndex((r) => r.ord === ord);
    if (index >= 0) {
      s.openItem(index);
      return true;
    }
    if (!hasMoreRunItems(s) || s.error) return false;
    await s.loadMore();
  }
  return false;
}
