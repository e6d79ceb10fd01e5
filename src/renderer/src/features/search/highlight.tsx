import type { ReactNode } from 'react';
import { HIGHLIGHT_END, HIGHLIGHT_START } from '../../../../shared/domain';

export interface Segment {
  text: string;
  marked: boolean;
}

/**
 * Splits an engine snippet into plain and highlighted runs. The markers are control
 * characters, so they never appear in what is shown; an unbalanced marker (a snippet cut
 * inside a match) simply ends or starts a run.
 */
export function splitHighlights(snippet: string): Segment[] {
  const segments: Segment[] = [];
  let marked = false;
  let text = '';
  const flush = () => {
    if (text) segments.push({ text, marked });
    text = '';
  };
  for (const ch of snippet) {
    if (ch === HIGHLIGHT_START) {
      flush();
      marked = true;
    } else if (ch === HIGHLIGHT_END) {
      flush();
      marked = false;
    } else {
      text += ch;
    }
  }
  flush();
  return segments;
}

/** React elements for a snippet: matched terms in `<mark>`, the rest as text (never HTML). */
export function renderHighlights(snippet: string): ReactNode[] {
  return splitHighlights(snippet).map((s, i) => (s.marked ? <mark key={i}>{s.text}</mark> : s.text));
}
