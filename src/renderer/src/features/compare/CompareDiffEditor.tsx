/**
 * Monaco's diff editor between two outputs (or an output and the gold): inline or side by side,
 * word-level highlights, wrapped lines. Loaded lazily so only an opened diff pays for Monaco;
 * Monaco and its worker come from the local package, never a CDN (offline, strict CSP).
 */
import { DiffEditor, loader } from '@monaco-editor/react';
import * as monaco from 'monaco-editor/editor/editor.api';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';

type MonacoEnv = { MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker } };
// The template editor may have set a richer environment (with its JSON worker); keep it.
(self as unknown as MonacoEnv).MonacoEnvironment ??= { getWorker: () => new EditorWorker() };
loader.config({ monaco });

function darkScheme(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia('(prefers-color-scheme: dark)').matches;
}

export interface CompareDiffEditorProps {
  original: string;
  modified: string;
  sideBySide: boolean;
  label: string;
}

export default function CompareDiffEditor({ original, modified, sideBySide, label }: CompareDiffEditorProps) {
  return (
    <DiffEditor
      height="260px"
      language="plaintext"
      theme={darkScheme() ? 'vs-dark' : 'vs'}
      original={original}
      modified={modified}
      loading={<span className="pane-note">Loading diff…</span>}
      wrapperProps={{ className: 'compare-diff-editor', 'data-testid': 'compare-diff-editor' }}
      options={{
        readOnly: true,
        originalEditable: false,
        renderSideBySide: sideBySide,
        useInlineViewWhenSpaceIsLimited: false,
        diffWordWrap: 'on',
        wordWrap: 'on',
        ignoreTrimWhitespace: false,
        minimap: { enabled: false },
        lineNumbers: 'off',
        scrollBeyondLastLine: false,
        renderOverviewRuler: false,
        automaticLayout: true,
        ariaLabel: label,
        fontSize: 13,
      }}
    />
  );
}
