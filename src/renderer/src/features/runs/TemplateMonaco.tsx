/**
 * The Monaco editor for the prompt template's JSON. Loaded lazily (React.lazy) so only the
 * New run dialog pays for Monaco; Monaco itself comes from the local package and its workers
 * from Vite `?worker` bundles: never a CDN (the app runs offline under a strict CSP).
 */
import { Editor, loader, type OnMount } from '@monaco-editor/react';
// The editor core, JSON and the editing features a template needs, not every language Monaco
// ships: importing 'monaco-editor' whole made this chunk 7.9 MB.
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/comment/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/cursorUndo/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/format/register';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/indentation/register';
import 'monaco-editor/features/linesOperations/register';
import 'monaco-editor/features/multicursor/register';
import 'monaco-editor/features/suggest/register';
import 'monaco-editor/features/wordHighlighter/register';
import 'monaco-editor/features/wordOperations/register';
import 'monaco-editor/languages/features/json/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/languages/features/json/json.worker?worker';
import { useEffect, useRef } from 'react';

(self as unknown as { MonacoEnvironment: { getWorker(workerId: string, label: string): Worker } }).MonacoEnvironment = {
  getWorker(_workerId, label) {
    return label === 'json' ? new JsonWorker() : new EditorWorker();
  },
};
loader.config({ monaco });

function darkScheme(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia('(prefers-color-scheme: dark)').matches;
}

export interface TemplateMonacoProps {
  value: string;
  onChange(value: string): void;
  /** Ctrl+Enter (Cmd+Enter) inside the editor: the dialog's main action. */
  onSubmit(): void;
  ariaLabel: string;
  invalid: boolean;
}

export default function TemplateMonaco({ value, onChange, onSubmit, ariaLabel, invalid }: TemplateMonacoProps) {
  const submitRef = useRef(onSubmit);
  useEffect(() => {
    submitRef.current = onSubmit;
  }, [onSubmit]);

  const onMount: OnMount = (editor, m) => {
    editor.addCommand(m.KeyMod.CtrlCmd | m.KeyCode.Enter, () => submitRef.current());
  };

  return (
    <Editor
      height="180px"
      language="json"
      theme={darkScheme() ? 'vs-dark' : 'vs'}
      value={value}
      onChange={(v) => onChange(v ?? '')}
      onMount={onMount}
      loading={<span className="pane-note">Loading editor…</span>}
      wrapperProps={{ className: invalid ? 'template-monaco invalid' : 'template-monaco' }}
      options={{
        ariaLabel,
        minimap: { enabled: false },
        lineNumbers: 'off',
        folding: false,
        glyphMargin: false,
        wordWrap: 'on',
        scrollBeyondLastLine: false,
        fontSize: 12,
        tabSize: 2,
        automaticLayout: true,
        renderLineHighlight: 'none',
        overviewRulerLanes: 0,
        fixedOverflowWidgets: true,
        quickSuggestions: false,
        // Pasted or typed JSON is taken as is: no closing brackets or quotes added behind the cursor.
        autoClosingBrackets: 'never',
        autoClosingQuotes: 'never',
        // The classic textarea input: EditContext mangles a replace-all paste in Chromium.
        editContext: false,
        // Tab moves focus through the dialog's fields, as everywhere else in the form.
        tabFocusMode: true,
      }}
    />
  );
}
