/**
 * Starting a review session: the reviewer's display name (remembered), the runs, and the scope —
 * every shared item, a comparison filter such as "A right, B wrong", or a seeded random sample —
 * and whether it is blind. Opened from the Runs view with the open run preselected, or from the
 * Compare view with its runs and filters: then the session holds exactly the rows the view shows.
 */
import { useRef, useState } from 'react';
import { COMPARE_FILTERS, type CompareFilter, type SessionScope } from '../../../../shared/annotations';
import { toErrorData, type ApiErrorData } from '../../../../shared/errors';
import { useView } from '../../app/viewStore';
import { Dialog } from '../../ui/Dialog';
import { DialogButtons } from '../../ui/DialogButtons';
import { ErrorNote } from '../../ui/ErrorNote';
import { useRuns } from '../runs/runsStore';
import { rememberedReviewer, useReview } from './reviewStore';

const FILTER_LABEL: Record<CompareFilter, string> = {
  all: 'every item the runs share',
  'a-right-b-wrong': 'first run right, second wrong',
  'a-wrong-b-right': 'first run wrong, second right',
  'both-right': 'both right',
  'both-wrong': 'both wrong',
  'any-wrong': 'any run wrong',
};

export function StartSessionDialog() {
  const open = useReview((s) => s.startOpen);
  return open ? <StartForm /> : null;
}

function StartForm() {
  const runs = useRuns((s) => s.runs) ?? [];
  const preselected = useReview.getState().startRunIds;
  const startView = useReview.getState().startView;
  const [reviewer, setReviewer] = useState(rememberedReviewer());
  const [picked, setPicked] = useState<number[]>(preselected);
  const [kind, setKind] = useState<'all' | 'sample'>('all');
  const [filter, setFilter] = useState<CompareFilter>('all');
  const [n, setN] = useState(20);
  const [seed, setSeed] = useState(1);
  const [blind, setBlind] = useState(preselected.length > 1);
  const [error, setError] = useState<ApiErrorData | null>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  const close = () => useReview.getState().closeStart();
  const fromCompareView = () => startView !== null && kind === 'all' && picked.length === preselected.length && picked.every((id, i) => id === preselected[i]);

  const scope = (): SessionScope | null => {
    if (picked.length === 0) return null;
    if (kind === 'sample') return { kind: 'sample', runIds: picked, n, seed };
    if (picked.length === 1) return { kind: 'run', runId: picked[0]! };
    // The Compare view's filter names runs by position: it holds only while the runs are the ones it compared, in order.
    if (fromCompareView())
      return { kind: 'comparison', runIds: picked, filter: 'all', view: startView!.filter, ...(startView!.search ? { search: startView!.search } : {}) };
    return { kind: 'comparison', runIds: picked, filter };
  };
  const submit = async () => {
    const s = scope();
    if (!s || !reviewer.trim() || busy) return;
    setBusy(true);
    setError(null);
    try {
      await useReview.getState().start({ reviewer: reviewer.trim(), scope: s, blind });
      useView.getState().setView('review');
    } catch (err) {
      setError(toErrorData(err));
    } finally {
      setBusy(false);
    }
  };
  const toggle = (id: number) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id]));

  return (
    <Dialog title="Start a review session" testId="review-start-dialog" onClose={close} onEnter={() => void submit()} initialFocus={first}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <p>
          <label>
            Reviewer (your display name){' '}
            <input ref={first} value={reviewer} required data-testid="review-start-reviewer" onChange={(e) => setReviewer(e.target.value)} />
          </label>
        </p>
        <fieldset>
          <legend>Runs (in this order: the first is A, the second B)</legend>
          <ul className="review-run-picks">
            {runs.map((r) => (
              <li key={r.id}>
                <label>
                  <input type="checkbox" checked={picked.includes(r.id)} data-testid={`review-start-run-${r.id}`} onChange={() => toggle(r.id)} /> {r.name}{' '}
                  <span className="muted">
                    #{r.id} · {r.modelLabel} · {r.itemTotal} items
                  </span>
                  {picked.includes(r.id) && <span className="muted"> · {String.fromCharCode(65 + picked.indexOf(r.id))}</span>}
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
        <fieldset>
          <legend>Items</legend>
          <label>
            <input type="radio" name="review-kind" checked={kind === 'all'} onChange={() => setKind('all')} /> Items of the runs
          </label>{' '}
          {fromCompareView() && (
            <span data-testid="review-start-compare-view">
              the {startView!.rows} rows the Compare view shows with its filters{startView!.search ? ` and search “${startView!.search}”` : ''}
            </span>
          )}
          {picked.length > 1 && kind === 'all' && !fromCompareView() && (
            <select aria-label="Which items" value={filter} data-testid="review-start-filter" onChange={(e) => setFilter(e.target.value as CompareFilter)}>
              {COMPARE_FILTERS.map((f) => (
                <option key={f} value={f}>
                  {FILTER_LABEL[f]}
                </option>
              ))}
            </select>
          )}
          <br />
          <label>
            <input type="radio" name="review-kind" checked={kind === 'sample'} data-testid="review-start-sample" onChange={() => setKind('sample')} /> A random
            sample of
          </label>{' '}
          <input aria-label="Sample size" type="number" min={1} value={n} onChange={(e) => setN(Math.max(1, Number(e.target.value) || 1))} /> items, seed{' '}
          <input aria-label="Sample seed" type="number" min={0} value={seed} onChange={(e) => setSeed(Math.max(0, Number(e.target.value) || 0))} />
        </fieldset>
        <p>
          <label>
            <input type="checkbox" checked={blind} data-testid="review-start-blind" onChange={(e) => setBlind(e.target.checked)} /> Blind: hide run names and
            models and shuffle the outputs per item until the session ends
          </label>
        </p>
        {error && <ErrorNote error={error} testId="review-start-error" />}
        <DialogButtons enter="start" cancelTestId="review-start-cancel" onCancel={close}>
          <button type="submit" className="button primary" data-testid="review-start-confirm" disabled={busy || !reviewer.trim() || picked.length === 0}>
            Start
          </button>
        </DialogButtons>
      </form>
    </Dialog>
  );
}
