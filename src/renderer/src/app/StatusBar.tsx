import { transport } from '../client';

const version = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : null;

export function StatusBar() {
  return (
    <footer className="status-bar">
      <span>
        MedTask Studio{version ? ` ${version}` : ''} · {transport() === 'ipc' ? 'desktop' : 'browser'}
      </span>
      <span className="status-keys">
        <kbd>↑</kbd>
        <kbd>↓</kbd> or <kbd>j</kbd>
        <kbd>k</kbd> move · <kbd>Enter</kbd> open · <kbd>Tab</kbd> next pane · <kbd>Ctrl</kbd>
        <kbd>K</kbd> or <kbd>/</kbd> search · <kbd>Ctrl</kbd>
        <kbd>1</kbd>–<kbd>5</kbd> library/runs/models/compare/playground · <kbd>Esc</kbd> clear
      </span>
    </footer>
  );
}
