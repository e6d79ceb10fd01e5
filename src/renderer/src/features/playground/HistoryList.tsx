/** The Playground's history of generations: newest first, re-opened into the columns with one click. */
import { usePlayground } from './playgroundStore';

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 90 ? `${line.slice(0, 90)}…` : line;
}

export function HistoryList() {
  const history = usePlayground((s) => s.history);
  const opened = usePlayground((s) => s.openedHistory);
  const generating = usePlayground((s) => s.generating);
  const { reopen, removeHistory, clearHistory } = usePlayground.getState();
  return (
    <section className="playground-history" aria-label="History of generations" data-testid="playground-history">
      <div className="playground-history-head">
        <span className="section-label">History ({history.length})</span>
        {history.length > 0 && (
          <button type="button" className="mini-button" data-testid="playground-history-clear" onClick={clearHistory}>
            Clear
          </button>
        )}
      </div>
      {history.length === 0 ? (
        <p className="field-hint">Each generation is kept here (in this browser), with its prompt, models, settings, outputs and figures.</p>
      ) : (
        <ul className="playground-history-list">
          {history.map((e) => (
            <li key={e.id} className={`playground-history-row${opened === e.id ? ' current' : ''}`} data-testid="playground-history-row" data-id={e.id}>
              <button
                type="button"
                className="link-button playground-history-open"
                data-testid="playground-history-open"
                disabled={generating}
                aria-current={opened === e.id ? true : undefined}
                onClick={() => reopen(e.id)}
                title="Open: prompt, settings and each column's output as they were"
              >
                <span className="mono">{new Date(e.at).toLocaleTimeString()}</span>{' '}
                {e.columns.map((c) => `${c.label}${c.outcome === 'done' ? '' : ` (${c.outcome})`}`).join(' · ')}
              </button>
              <span className="muted playground-history-prompt">
                {e.item ? `${e.item.label} — ` : ''}
                {firstLine(e.form.prompt)}
              </span>
              <button
                type="button"
                className="mini-button"
                data-testid="playground-history-remove"
                aria-label="Remove from the history"
                onClick={() => removeHistory(e.id)}
              >
                ✕
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
