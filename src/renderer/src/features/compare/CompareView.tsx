/**
 * The Compare view (Ctrl+4): pick 2–8 runs, see their scores with intervals and paired tests,
 * and walk the aligned items with the keyboard — j/k move, Enter opens, d diffs, 1–8 pick the
 * diff's runs, / searches.
 */
import { useEffect, useState } from 'react';
import { isDialogOpen } from '../../ui/Dialog';
import { ErrorNote } from '../../ui/ErrorNote';
import { Pane } from '../../ui/Pane';
import { useRuns } from '../runs/runsStore';
import { useView } from '../../app/viewStore';
import { CompareDetail } from './CompareDetail';
import { COMPARE_SEARCH_ID, CompareFilters } from './CompareFilters';
import { COMPARE_LIST_ID, CompareRows } from './CompareRows';
import { CompareStatsHeader } from './CompareStatsHeader';
import { ReviewTagCounts } from '../annotations/ReviewTagCounts';
import { Leaderboard } from './Leaderboard';
import { LeaderboardCharts } from '../leaderboard/LeaderboardCharts';
import { useCompare } from './compareStore';
import { ReviewFromCompare } from '../annotations/ReviewButtons';
import './compare.css';

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  return target.isContentEditable || tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.closest('.monaco-editor') !== null;
}

function RunPicker() {
  const runs = useRuns((s) => s.runs);
  const picked = useCompare((s) => s.picked);
  const baselineRunId = useCompare((s) => s.baselineRunId);
  const loading = useCompare((s) => s.loading);
  const { togglePick, setBaseline, compare } = useCompare.getState();
  const finished = (runs ?? []).filter((r) => r.itemDone > 0);
  return (
    <section className="compare-picker" aria-label="Runs to compare" data-testid="compare-picker">
      <fieldset>
        <legend>Runs to compare (2–8; the first picked is the baseline unless chosen)</legend>
        {finished.length === 0 && <p className="pane-note">No run has finished items yet.</p>}
        <ul className="compare-run-options">
          {finished.map((r) => (
            <li key={r.id}>
              <label className="compare-choice">
                <input
                  type="checkbox"
                  checked={picked.includes(r.id)}
                  disabled={!picked.includes(r.id) && picked.length >= 8}
                  onChange={() => togglePick(r.id)}
                  data-testid={`compare-pick-${r.id}`}
                />
                {picked.includes(r.id) && <span className="compare-pick-number">{picked.indexOf(r.id) + 1}</span>}
                Run {r.id} · {r.name}{' '}
                <span className="muted">
                  ({r.kind}, {r.itemDone} items, {r.scores.map((s) => s.task).join(', ')})
                </span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <div className="compare-picker-actions">
        <label className="compare-field">
          Baseline
          <select value={baselineRunId ?? ''} onChange={(e) => setBaseline(e.target.value ? Number(e.target.value) : null)} data-testid="compare-baseline">
            <option value="">First picked</option>
            {picked.map((id) => (
              <option key={id} value={id}>
                Run {id}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="button primary"
          disabled={picked.length < 2 || loading}
          data-testid="compare-go"
          onClick={() => {
            // The rows render after the answer lands; focus them then, so j/k work at once.
            void compare().then(() => requestAnimationFrame(() => document.getElementById(COMPARE_LIST_ID)?.focus()));
          }}
        >
          {loading ? 'Comparing…' : `Compare ${picked.length} runs`}
        </button>
      </div>
    </section>
  );
}

export function CompareView() {
  const [mode, setMode] = useState<'compare' | 'leaderboard'>('compare');

  useEffect(() => {
    void useRuns.getState().load();
  }, []);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing || isDialogOpen() || useView.getState().view !== 'compare') return;
      if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      const s = useCompare.getState();
      if (event.key === '/') {
        event.preventDefault();
        document.getElementById(COMPARE_SEARCH_ID)?.focus();
        return;
      }
      if (!s.result) return;
      if (event.key === 'd') {
        event.preventDefault();
        if (s.openKey === null && s.cursor !== null) void s.open(s.cursor);
        s.toggleDiff(s.openKey === null ? true : undefined);
        return;
      }
      if (/^[1-8]$/.test(event.key) && Number(event.key) <= s.result.runs.length) {
        event.preventDefault();
        if (s.openKey === null && s.cursor !== null) void s.open(s.cursor);
        s.pickDiff(Number(event.key) - 1);
        return;
      }
      if (event.key === 'Escape' && s.openKey !== null) {
        event.preventDefault();
        s.closeDetail();
        document.getElementById(COMPARE_LIST_ID)?.focus();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  return (
    <main className="compare-view" data-testid="compare-view">
      <div className="compare-modes" role="group" aria-label="Compare or leaderboard">
        <button
          type="button"
          className={mode === 'compare' ? 'button primary' : 'button'}
          aria-pressed={mode === 'compare'}
          onClick={() => setMode('compare')}
          data-testid="mode-compare"
        >
          Compare runs
        </button>
        <button
          type="button"
          className={mode === 'leaderboard' ? 'button primary' : 'button'}
          aria-pressed={mode === 'leaderboard'}
          onClick={() => setMode('leaderboard')}
          data-testid="mode-leaderboard"
        >
          Leaderboard
        </button>
        <ReviewFromCompare />
      </div>
      {mode === 'leaderboard' ? (
        <div className="leaderboard-with-charts">
          <Leaderboard />
          <LeaderboardCharts />
        </div>
      ) : (
        <CompareRuns />
      )}
    </main>
  );
}

function CompareRuns() {
  const result = useCompare((s) => s.result);
  const error = useCompare((s) => s.error);
  const counts = useCompare((s) => s.counts);
  const partial = useCompare((s) => s.partial);
  return (
    <>
      <RunPicker />
      {error && <ErrorNote error={error} />}
      {result && (
        <>
          <CompareStatsHeader />
          <ReviewTagCounts runs={result.runs} />
          {partial && (
            <p className="pane-note compare-pending" role="status" data-testid="compare-pending">
              Showing the first {result.rows.length} of {result.totalRows.toLocaleString('en-US')} items; loading the rest (filters and counts follow)…
            </p>
          )}
          <CompareFilters />
          <div className="compare-workbench">
            <Pane
              title="Items"
              label="Compared items"
              className="compare-rows-pane"
              actions={counts ? <span className="compare-count">{counts.shown}</span> : undefined}
            >
              <CompareRows />
            </Pane>
            <Pane title="Item" label="Item details" className="compare-detail-pane">
              <CompareDetail />
            </Pane>
          </div>
        </>
      )}
    </>
  );
}
