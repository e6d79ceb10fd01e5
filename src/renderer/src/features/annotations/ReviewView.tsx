/**
 * The review session screen: the session's items on the left, the open item with each output
 * side by side (labelled "Output A/B…" while blind) and the item itself, keyboard-first:
 * j/k items, ←/→ outputs, digits toggle tags, v verdict, s harm, n note, Ctrl+Z / Ctrl+Y.
 */
import { useEffect } from 'react';
import { SESSION_ITEM_FILTERS, type SessionItemFilter } from '../../../../shared/annotations';
import { isDialogOpen } from '../../ui/Dialog';
import { ErrorNote } from '../../ui/ErrorNote';
import { Pane } from '../../ui/Pane';
import { useView } from '../../app/viewStore';
import { AnnotationEditor, noteId } from './AnnotationEditor';
import { ResultsPanel } from './ResultsPanel';
import { SessionList } from './SessionList';
import { useReview, type Focus } from './reviewStore';
import './review.css';

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  return target.isContentEditable || tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT';
}

const FILTER_LABEL: Record<SessionItemFilter, string> = {
  all: 'All items',
  unreviewed: 'Not reviewed',
  reviewed: 'Reviewed',
  disagreements: 'Reviewers disagree',
};

function focusTarget(focus: Focus): void {
  requestAnimationFrame(() => document.getElementById(`review-target-${focus}`)?.focus());
}

export function ReviewView() {
  const session = useReview((s) => s.session);
  const item = useReview((s) => s.item);
  const rows = useReview((s) => s.rows);
  const filter = useReview((s) => s.filter);
  const focus = useReview((s) => s.focus);
  const tags = useReview((s) => s.tags);
  const error = useReview((s) => s.error);
  const canUndo = useReview((s) => s.undo.length > 0);
  const canRedo = useReview((s) => s.redo.length > 0);

  useEffect(() => {
    void useReview.getState().loadTags();
    void useReview.getState().loadSessions();
  }, []);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const st = useReview.getState();
      if (event.defaultPrevented || event.isComposing || isDialogOpen() || !st.session || !st.item) return;
      const mod = event.ctrlKey || event.metaKey;
      if (isTyping(event.target)) return;
      const key = event.key;
      const columns = st.item.columns.length;
      const order: Focus[] = [...Array(columns).keys(), 'item'];
      const at = order.indexOf(st.focus);
      const handled = (() => {
        if (mod && !event.altKey && key.toLowerCase() === 'z') return (void (event.shiftKey ? st.redoLast() : st.undoLast()), true);
        if (mod && !event.altKey && key.toLowerCase() === 'y') return (void st.redoLast(), true);
        if (mod || event.altKey) return false;
        if (key === 'j' || key === 'ArrowDown') return (void st.step(1).then(() => focusTarget(useReview.getState().focus)), true);
        if (key === 'k' || key === 'ArrowUp') return (void st.step(-1).then(() => focusTarget(useReview.getState().focus)), true);
        if (key === 'l' || key === 'ArrowRight' || key === 'h' || key === 'ArrowLeft') {
          const next = order[(at + (key === 'l' || key === 'ArrowRight' ? 1 : order.length - 1)) % order.length]!;
          st.setFocus(next);
          focusTarget(next);
          return true;
        }
        if (/^[1-9]$/.test(key)) {
          const tag = st.tags.find((t) => t.hotkey === Number(key));
          if (tag) void st.toggleTag(tag.id);
          return true;
        }
        if (key === 'v' || key === 's') {
          // Read the current value when the write gets its turn: earlier keys may still be in flight.
          void st.cycle(key === 'v' ? 'verdict' : 'severity');
          return true;
        }
        if (key === 'n') {
          document.getElementById(noteId(st.focus))?.focus();
          return true;
        }
        return false;
      })();
      if (handled) event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  const back = (
    <button type="button" className="button" data-testid="review-back" onClick={() => useView.getState().setView('runs')}>
      Back to runs
    </button>
  );

  if (!session) {
    return (
      <main className="review-view" data-testid="review-view">
        <div className="review-toolbar">
          {back}
          <h1 className="review-title">Review sessions</h1>
        </div>
        {error && <ErrorNote error={error} testId="review-error" />}
        <SessionList />
      </main>
    );
  }

  const st = useReview.getState();
  return (
    <main className="review-view" data-testid="review-view">
      <div className="review-toolbar">
        {back}
        <button type="button" className="button" data-testid="review-sessions" onClick={() => st.closeSession()}>
          All sessions
        </button>
        <h1 className="review-title" data-testid="review-session-name">
          {session.name}
        </h1>
        <span className="review-meta" data-testid="review-progress" aria-live="polite">
          {session.reviewer} · {session.reviewed} / {session.total} reviewed
        </span>
        {session.blind && (
          <span className={session.revealed ? 'review-badge' : 'review-badge blind'} data-testid="review-blind">
            {session.revealed ? 'Blind session, revealed' : 'Blind: runs hidden until the session ends'}
          </span>
        )}
        <label className="review-filter">
          Show{' '}
          <select value={filter} data-testid="review-filter" onChange={(e) => void st.setFilter(e.target.value as SessionItemFilter)}>
            {SESSION_ITEM_FILTERS.map((f) => (
              <option key={f} value={f}>
                {FILTER_LABEL[f]}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button" disabled={!canUndo} data-testid="review-undo" onClick={() => void st.undoLast()} title="Undo (Ctrl+Z)">
          Undo
        </button>
        <button type="button" className="button" disabled={!canRedo} data-testid="review-redo" onClick={() => void st.redoLast()} title="Redo (Ctrl+Y)">
          Redo
        </button>
        {session.status === 'open' && (
          <button type="button" className="button primary" data-testid="review-end" onClick={() => void st.end()}>
            End session{session.blind ? ' and reveal' : ''}
          </button>
        )}
      </div>
      {error && <ErrorNote error={error} testId="review-error" onRetry={() => st.dismissError()} />}
      {session.runs.some((r) => r.name) && (
        <p className="review-runs" data-testid="review-runs">
          Runs: {session.runs.map((r) => `${r.name ?? r.label}${r.modelLabel ? ` (${r.modelLabel})` : ''}`).join(' · ')}
        </p>
      )}
      <div className="review-body">
        <Pane title="Items" label="Session items" className="review-items" actions={<span className="pane-meta">{rows.length}</span>}>
          <ol className="review-item-list">
            {rows.map((r) => (
              <li key={r.ord}>
                <button
                  type="button"
                  className={item?.ord === r.ord ? 'review-item-row current' : 'review-item-row'}
                  aria-current={item?.ord === r.ord ? 'true' : undefined}
                  data-testid={`review-item-${r.ord}`}
                  onClick={() => void st.goTo(r.ord)}
                >
                  <span className="review-item-key">{r.itemKey}</span>
                  {r.reviewed && (
                    <span className="review-done" aria-label="reviewed">
                      ✓
                    </span>
                  )}
                  {r.disagreement && (
                    <span className="review-disagree" aria-label="reviewers disagree">
                      ≠
                    </span>
                  )}
                </button>
              </li>
            ))}
          </ol>
        </Pane>
        {item ? (
          <section className="review-item" aria-label={`Item ${item.ord + 1} of ${item.total}`} data-testid="review-item">
            <h2 className="review-item-title">
              Item {item.ord + 1} of {item.total} <span className="muted">{item.itemKey}</span>
            </h2>
            <div className="review-io">
              <div>
                <h3>Input</h3>
                <pre className="review-text" tabIndex={0} data-testid="review-input">
                  {item.input || '(the run kept no input)'}
                </pre>
              </div>
              <div>
                <h3>Gold</h3>
                <pre className="review-text" tabIndex={0} data-testid="review-gold">
                  {item.gold.join('\n')}
                </pre>
              </div>
            </div>
            <div className="review-columns" style={{ gridTemplateColumns: `repeat(${Math.min(item.columns.length, 4)}, minmax(0, 1fr))` }}>
              {item.columns.map((c) => (
                <section
                  key={c.column}
                  id={`review-target-${c.column}`}
                  tabIndex={focus === c.column ? 0 : -1}
                  className={focus === c.column ? 'review-column focused' : 'review-column'}
                  aria-label={c.label}
                  data-testid={`review-column-${c.column}`}
                  onFocus={() => st.setFocus(c.column)}
                >
                  <h3 data-testid={`review-column-label-${c.column}`}>
                    {c.label}
                    {c.modelLabel && <span className="muted"> · {c.modelLabel}</span>}
                  </h3>
                  <pre className="review-text" tabIndex={0} data-testid={`review-output-${c.column}`}>
                    {c.output ?? `(${c.status})`}
                  </pre>
                  <p className="review-metrics muted">
                    Automatic:{' '}
                    {Object.entries(c.metrics)
                      .map(([k, v]) => `${k} ${v.toFixed(3)}`)
                      .join(' · ') || 'none'}
                  </p>
                  <AnnotationEditor target={c.column} annotation={c.annotation} tags={tags} label={c.label} />
                  {c.others.length > 0 && (
                    <ul className="review-others">
                      {c.others.map((o) => (
                        <li key={o.reviewer}>
                          {o.reviewer}: {o.verdict ?? 'no verdict'}
                          {o.severity ? ` · harm ${o.severity}` : ''}
                          {o.note ? ` · “${o.note}”` : ''}
                        </li>
                      ))}
                    </ul>
                  )}
                </section>
              ))}
            </div>
            <section
              id="review-target-item"
              tabIndex={focus === 'item' ? 0 : -1}
              className={focus === 'item' ? 'review-column review-itself focused' : 'review-column review-itself'}
              aria-label="The item itself"
              data-testid="review-column-item"
              onFocus={() => st.setFocus('item')}
            >
              <h3>The item itself (e.g. gold answer wrong)</h3>
              <AnnotationEditor target="item" annotation={item.item} tags={tags} label="the item itself" />
            </section>
          </section>
        ) : (
          <p className="review-empty muted">Loading the item…</p>
        )}
      </div>
      <p className="review-keys muted">
        <kbd>j</kbd>/<kbd>k</kbd> next/previous item · <kbd>←</kbd>/<kbd>→</kbd> output · <kbd>1</kbd>–<kbd>9</kbd> toggle tag · <kbd>v</kbd> verdict ·{' '}
        <kbd>s</kbd> harm · <kbd>n</kbd> note · <kbd>Ctrl+Z</kbd>/<kbd>Ctrl+Y</kbd> undo/redo
      </p>
      <ResultsPanel />
    </main>
  );
}
