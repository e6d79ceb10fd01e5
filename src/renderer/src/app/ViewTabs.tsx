import type { KeyboardEvent } from 'react';
import { useModels } from '../features/models/modelsStore';
import { useRuns } from '../features/runs/runsStore';
import { useView, type View } from './viewStore';

const TABS: { view: View; label: string; key: string }[] = [
  { view: 'library', label: 'Library', key: '1' },
  { view: 'runs', label: 'Runs', key: '2' },
  { view: 'models', label: 'Models', key: '3' },
  { view: 'compare', label: 'Compare', key: '4' },
  { view: 'playground', label: 'Playground', key: '5' },
];

/** The top-level views; Ctrl+1 … Ctrl+5 (see App) switch between them too. */
export function ViewTabs() {
  const view = useView((s) => s.view);
  const active = useRuns((s) => s.runs?.filter((r) => r.status === 'running' || r.status === 'queued').length ?? 0);
  const loaded = useModels((s) => s.runtime?.loaded.length ?? 0);
  const setView = useView.getState().setView;

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    event.preventDefault();
    const at = TABS.findIndex((t) => t.view === view);
    const next = TABS[(at + (event.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length]!;
    setView(next.view);
    document.getElementById(`view-tab-${next.view}`)?.focus();
  };

  return (
    <div className="view-tabs" role="tablist" aria-label="Views" onKeyDown={onKeyDown}>
      {TABS.map((t) => (
        <button
          key={t.view}
          id={`view-tab-${t.view}`}
          type="button"
          role="tab"
          className="view-tab"
          data-testid={`view-tab-${t.view}`}
          aria-selected={view === t.view}
          tabIndex={view === t.view ? 0 : -1}
          title={`${t.label} (Ctrl+${t.key})`}
          onClick={() => setView(t.view)}
        >
          {t.label}
          {t.view === 'runs' && active > 0 && (
            <span className="view-tab-badge" data-testid="runs-active-count" title={`${active} active`}>
              {active}
            </span>
          )}
          {t.view === 'models' && loaded > 0 && (
            <span className="view-tab-badge" data-testid="models-loaded-count" title={`${loaded} loaded`}>
              {loaded}
            </span>
          )}
        </button>
      ))}
    </div>
  );
}
