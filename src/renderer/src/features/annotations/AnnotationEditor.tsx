/**
 * One output's (or the item's) annotation: tag toggles, verdict, harm severity and note. Buttons
 * mirror the keyboard (digits, v, s, n) so a mouse reviewer and a keyboard reviewer write the same.
 */
import { useState } from 'react';
import { SEVERITIES, VERDICTS, type AnnotationState, type AnnotationTag, type Severity } from '../../../../shared/annotations';
import { useReview, type Focus } from './reviewStore';

const VERDICT_LABEL = { correct: 'Correct', partly: 'Partly correct', incorrect: 'Incorrect' } as const;

export const noteId = (target: Focus) => `review-note-${target}`;

export function AnnotationEditor({ target, annotation, tags, label }: { target: Focus; annotation: AnnotationState; tags: AnnotationTag[]; label: string }) {
  const { change } = useReview.getState();
  const [note, setNote] = useState(annotation.note);
  // A new item (or an undo) brings another note: adopt it during render, as React advises.
  const [shown, setShown] = useState(annotation.note);
  if (shown !== annotation.note) {
    setShown(annotation.note);
    setNote(annotation.note);
  }
  const saveNote = () => {
    if (note !== annotation.note) void change({ note }, target);
  };

  return (
    <div className="review-editor" data-testid={`review-editor-${target}`}>
      <div className="review-tags" role="group" aria-label={`Tags for ${label}`}>
        {tags.map((t) => {
          const on = annotation.tagIds.includes(t.id);
          return (
            <button
              key={t.id}
              type="button"
              tabIndex={-1}
              className={on ? 'review-tag on' : 'review-tag'}
              // The tag's colour marks the chip; the text stays in the theme's colours (contrast).
              style={{ borderColor: t.color, ...(on ? { boxShadow: `inset 0 0 0 2px ${t.color}` } : {}) }}
              aria-pressed={on}
              data-testid={`review-tag-${target}-${t.id}`}
              onClick={() => {
                useReview.getState().setFocus(target);
                void useReview.getState().toggleTag(t.id);
              }}
            >
              {on ? '✓ ' : ''}
              {t.hotkey !== null && <kbd>{t.hotkey}</kbd>} {t.name}
            </button>
          );
        })}
      </div>
      <div className="review-judgement">
        <div role="group" aria-label={`Verdict for ${label} (v cycles)`} className="review-verdicts">
          {VERDICTS.map((v) => (
            <button
              key={v}
              type="button"
              tabIndex={-1}
              className={annotation.verdict === v ? `review-verdict on ${v}` : 'review-verdict'}
              aria-pressed={annotation.verdict === v}
              data-testid={`review-verdict-${target}-${v}`}
              onClick={() => void change({ verdict: annotation.verdict === v ? null : v }, target)}
            >
              {VERDICT_LABEL[v]}
            </button>
          ))}
        </div>
        <label className="review-severity">
          Harm{' '}
          <select
            value={annotation.severity ?? ''}
            data-testid={`review-severity-${target}`}
            onChange={(e) => void change({ severity: (e.target.value || null) as Severity | null }, target)}
          >
            <option value="">not rated</option>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label className="review-note-label" htmlFor={noteId(target)}>
        Note <span className="muted">(n; Esc returns to the output)</span>
      </label>
      <textarea
        id={noteId(target)}
        className="review-note"
        data-testid={`review-note-${target}`}
        rows={2}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        onBlur={saveNote}
        onKeyDown={(e) => {
          if (e.key === 'Escape' || (e.key === 'Enter' && (e.ctrlKey || e.metaKey))) {
            e.preventDefault();
            saveNote();
            document.getElementById(`review-target-${target}`)?.focus();
          }
        }}
      />
    </div>
  );
}
