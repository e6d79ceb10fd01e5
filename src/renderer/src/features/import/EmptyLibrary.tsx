import { useImporter } from './importerStore';

export function EmptyLibrary() {
  const running = useImporter((s) => s.status === 'running');
  const runDemo = useImporter.getState().runDemo;
  return (
    <div className="empty-library" data-testid="empty-library">
      <h2>The library is empty</h2>
      <p>Import a benchmark to start browsing its tasks and items. Either:</p>
      <ul>
        <li>
          type one or more file or folder paths in the import bar above (or pick them with <kbd>Browse…</kbd>) and press <kbd>Import</kbd>, or
        </li>
        <li>
          run <code>npx medtask import PATH</code> in a terminal, then reload this window.
        </li>
      </ul>
      <p className="muted">
        Paths are read on the machine that runs the MedTask engine. Separate several paths with spaces or new lines; quote a path that contains spaces.
      </p>
      <div className="demo-offer">
        <h3>Just looking around?</h3>
        <p>
          The demo pack holds a few <strong>synthetic</strong>, hand-written items per clinical category, written by the MedTask Studio developers in the
          MedS-Bench file layout. None of it is real patient data or a real benchmark item: use it to try the app, not to evaluate a model. It is imported as
          its own benchmark, <span className="mono">demo</span>, and never mixes with real data.
        </p>
        <button type="button" className="button" data-testid="import-demo" disabled={running} onClick={() => void runDemo()}>
          Import the synthetic demo pack
        </button>
      </div>
    </div>
  );
}
