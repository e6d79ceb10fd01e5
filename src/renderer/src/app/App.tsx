import { useEffect } from 'react';
import { isDialogOpen } from '../ui/Dialog';
import { DetailPane } from '../features/library/DetailPane';
import { EmptyLibrary } from '../features/import/EmptyLibrary';
import { ImportBar } from '../features/import/ImportBar';
import { ItemsPane } from '../features/library/ItemsPane';
import { LibraryPane } from '../features/library/LibraryPane';
import { ModelsView } from '../features/models/ModelsView';
import { PlaygroundView } from '../features/playground/PlaygroundView';
import { RunsView } from '../features/runs/RunsView';
import { ReviewView } from '../features/annotations/ReviewView';
import { StartSessionDialog } from '../features/annotations/StartSessionDialog';
import { CompareView } from '../features/compare/CompareView';
import { SEARCH_INPUT_ID, SearchBox } from '../features/search/SearchBox';
import { SearchPane } from '../features/search/SearchPane';
import { StatusBar } from './StatusBar';
import { ViewTabs } from './ViewTabs';
import { useImporter } from '../features/import/importerStore';
import { useLibrary } from '../features/library/libraryStore';
import { useModels } from '../features/models/modelsStore';
import { usePlayground } from '../features/playground/playgroundStore';
import { useRuns } from '../features/runs/runsStore';
import { isActive, useSearch } from '../features/search/searchStore';
import { useView } from './viewStore';

/** True when a key press belongs to a text field (so `/` is typed, not a shortcut). */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT';
}

function focusSearch(): void {
  const input = document.getElementById(SEARCH_INPUT_ID);
  if (input instanceof HTMLInputElement) {
    input.focus();
    input.select();
  }
}

export function App() {
  const benchmarks = useLibrary((s) => s.benchmarks);
  const searching = useSearch((s) => isActive(s.query));
  const view = useView((s) => s.view);

  useEffect(() => {
    void useLibrary.getState().init();
  }, []);
  // Subscribe before any import or run starts, so the first progress event is not missed.
  useEffect(() => useImporter.getState().listen(), []);
  useEffect(() => useRuns.getState().listen(), []);
  useEffect(() => useModels.getState().listen(), []);
  useEffect(() => usePlayground.getState().listen(), []);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      // A modal dialog keeps the keyboard to itself.
      if (event.defaultPrevented || event.isComposing || isDialogOpen()) return;
      const mod = (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey;
      // Ctrl+1 / Ctrl+2 / Ctrl+3 (Cmd on macOS) switch between the Library, Runs and Models views.
      const byKey = { '1': 'library', '2': 'runs', '3': 'models', '4': 'compare', '5': 'playground' } as const;
      if (mod && Object.hasOwn(byKey, event.key)) {
        event.preventDefault();
        useView.getState().setView(byKey[event.key as keyof typeof byKey]);
        return;
      }
      // Ctrl+K (Cmd+K) anywhere, or `/` outside text fields, puts the cursor in the search box.
      const ctrlK = mod && event.key.toLowerCase() === 'k';
      const slash = event.key === '/' && !event.ctrlKey && !event.metaKey && !event.altKey && !isTyping(event.target);
      // The Compare view's own `/` focuses its search (CompareView).
      if (slash && useView.getState().view === 'compare') return;
      if (ctrlK || slash) {
        if (useView.getState().view !== 'library') {
          event.preventDefault();
          useView.getState().setView('library');
          requestAnimationFrame(focusSearch);
          return;
        }
        if (!document.getElementById(SEARCH_INPUT_ID)) return;
        event.preventDefault();
        focusSearch();
        return;
      }
      // In the Runs view, `n` starts a new run and `i` imports predictions.
      const plain = !event.ctrlKey && !event.metaKey && !event.altKey && !isTyping(event.target);
      if (plain && useView.getState().view === 'runs' && (event.key === 'n' || event.key === 'i')) {
        event.preventDefault();
        useRuns.getState().openDialog({ kind: event.key === 'n' ? 'new' : 'import' });
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  const empty = benchmarks !== null && benchmarks.length === 0;
  return (
    <div className="app">
      <ViewTabs />
      {view === 'runs' ? (
        <RunsView />
      ) : view === 'review' ? (
        <ReviewView />
      ) : view === 'compare' ? (
        <CompareView />
      ) : view === 'models' ? (
        <ModelsView />
      ) : view === 'playground' ? (
        <PlaygroundView />
      ) : (
        <>
          <ImportBar aside={empty ? undefined : <SearchBox />} />
          {empty ? (
            <main className="workbench-empty">
              <EmptyLibrary />
            </main>
          ) : (
            <main className="workbench">
              <LibraryPane />
              {searching ? <SearchPane /> : <ItemsPane />}
              <DetailPane />
            </main>
          )}
        </>
      )}
      <StartSessionDialog />
      <StatusBar />
    </div>
  );
}
