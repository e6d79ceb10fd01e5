import { useEffect } from 'react';
import { isDialogOpen } from './components/Dialog';
import { EmptyLibrary } from './components/EmptyLibrary';
import { ImportBar } from './components/ImportBar';
import { ItemPane } from './components/ItemPane';
import { ItemsPane } from './components/ItemsPane';
import { LibraryPane } from './components/LibraryPane';
import { SEARCH_INPUT_ID, SearchBox } from './components/SearchBox';
import { SearchPane } from './components/SearchPane';
import { StatusBar } from './components/StatusBar';
import { useImporter } from './store/importer';
import { useLibrary } from './store/library';
import { isActive, useSearch } from './store/search';

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

  useEffect(() => {
    void useLibrary.getState().init();
  }, []);
  // Subscribe before any import starts, so the first progress event is not missed.
  useEffect(() => useImporter.getState().listen(), []);

  // Ctrl+K (Cmd+K) anywhere, or `/` outside text fields, puts the cursor in the search box.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      // A modal dialog keeps the keyboard to itself.
      if (event.defaultPrevented || event.isComposing || isDialogOpen()) return;
      const ctrlK = (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'k';
      const slash = event.key === '/' && !event.ctrlKey && !event.metaKey && !event.altKey && !isTyping(event.target);
      if (!ctrlK && !slash) return;
      if (!document.getElementById(SEARCH_INPUT_ID)) return;
      event.preventDefault();
      focusSearch();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  const empty = benchmarks !== null && benchmarks.length === 0;
  return (
    <div className="app">
      <ImportBar aside={empty ? undefined : <SearchBox />} />
      {empty ? (
        <main className="workbench-empty">
          <EmptyLibrary />
        </main>
      ) : (
        <main className="workbench">
          <LibraryPane />
          {searching ? <SearchPane /> : <ItemsPane />}
          <ItemPane />
        </main>
      )}
      <StatusBar />
    </div>
  );
}
